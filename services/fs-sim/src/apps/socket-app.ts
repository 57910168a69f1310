import type { App } from './app.ts';
import { splitArgs } from './app.ts';

/**
 * `socket host:port [async] [full]`: hand the channel to an outbound ESL server. In async mode
 * the channel is parked meanwhile (queued messages run inside; CHANNEL_UNPARK at the end, no
 * CHANNEL_PARK, as captured). The app returns when the socket closes or the call hangs up.
 */
export const socketApp: App = {
  name: 'socket',
  parsesEvents: true,
  start(ctx) {
    const a = splitArgs(ctx.arg);
    const [host = '127.0.0.1', portStr = '8084'] = (a[0] ?? '').split(':');
    const async = a.includes('async');
    const full = a.includes('full');
    const rt = ctx.sw.runtime(ctx.ch.uuid);
    const hook = ctx.sw.hooks.socket;
    if (!rt || !hook) {
      ctx.done();
      return {};
    }
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      ctx.done();
    };
    hook(rt, host, Number(portStr), async, full, end);
    return {
      onHangup: () => {
        if (async && !ended) ctx.sw.emitChannel('CHANNEL_UNPARK', ctx.ch);
        end();
      },
    };
  },
};
