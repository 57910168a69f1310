import type { DialCallbacks, DialHandle, Endpoint } from './originate.ts';
import type { ChannelRuntime, SwitchCore } from './switch-core.ts';

/**
 * `loopback/<ext>[/<context>]`: the b-leg (`loopback/<ext>-b`) runs the dialplan; the a-leg
 * answers when it does. An extension that does not exist fails with NO_ROUTE_DESTINATION.
 */
export function loopbackEndpoint(sw: SwitchCore): Endpoint {
  return {
    channelName: (target) => `loopback/${target.split('/')[0]}-a`,
    dial(a: ChannelRuntime, target: string, cb: DialCallbacks): DialHandle {
      const [ext = '', context = 'default'] = target.split('/');
      if (!sw.opts.dialplan.match(ext, context)) {
        sw.timers.after(0, () => cb.fail('NO_ROUTE_DESTINATION'));
        return { hangup: () => {} };
      }
      let b: ChannelRuntime | undefined;
      sw.timers.after(0, () => {
        if (a.ch.isHungUp) return;
        b = sw.createChannel({
          name: `loopback/${ext}-b`,
          direction: 'inbound',
          profile: { ...a.ch.profile, destinationNumber: ext, context, source: 'mod_loopback', calleeIdName: undefined, calleeIdNumber: undefined },
          transport: {
            ring: () => cb.progress(),
            answer: () => cb.answer(),
            hangup: (_ch, cause) => {
              if (a.ch.isAnswered) cb.remoteHangup(cause);
              else cb.fail(cause);
            },
          },
        });
        if (!b) {
          cb.fail('SWITCH_CONGESTION');
          return;
        }
        sw.route(b);
      });
      return {
        hangup: (cause) => {
          if (b && !b.ch.isHungUp) sw.hangup(b.ch, cause, { fromTransport: true });
        },
      };
    },
  };
}
