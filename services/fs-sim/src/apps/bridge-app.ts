import type { Channel } from '../core/channel.ts';
import { originateLeg, parseDialString } from '../core/originate.ts';
import type { SwitchCore } from '../core/switch-core.ts';
import type { App } from './app.ts';

/** DIALSTATUS values mod_dptools derives from the failure cause. */
function dialStatus(cause: string): string {
  if (cause === 'USER_BUSY') return 'BUSY';
  if (cause === 'NO_ANSWER' || cause === 'NO_USER_RESPONSE') return 'NOANSWER';
  if (cause === 'CALL_REJECTED') return 'CALL_REJECTED';
  return cause === 'ORIGINATOR_CANCEL' ? 'CANCEL' : 'CHANUNAVAIL';
}

/** Link two answered legs: Other-Leg headers, CHANNEL_BRIDGE on the a-leg only. */
export function linkLegs(sw: SwitchCore, a: Channel, b: Channel): void {
  const now = Date.now();
  a.otherLeg = { type: 'originatee', channel: b };
  b.otherLeg = { type: 'originator', channel: a };
  a.bridgedMs = now;
  b.bridgedMs = now;
  a.setVar('bridge_to', b.uuid);
  b.setVar('bridge_to', a.uuid);
  a.setVar('signal_bond', b.uuid);
  b.setVar('signal_bond', a.uuid);
  sw.emitChannel('CHANNEL_BRIDGE', a, {
    pre: [
      ['Bridge-A-Unique-ID', a.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
    ],
  });
}

/** CHANNEL_UNBRIDGE on the a-leg. */
export function unlinkLegs(sw: SwitchCore, a: Channel, b: Channel): void {
  sw.emitChannel('CHANNEL_UNBRIDGE', a, {
    pre: [
      ['Bridge-A-Unique-ID', a.uuid],
      ['Bridge-B-Unique-ID', b.uuid],
    ],
  });
}

/**
 * `bridge <dialstring>`: originate the b-leg, answer the a-leg when it answers, bridge, and
 * complete when either side hangs up (DIALSTATUS, bridge_hangup_cause; `hangup_after_bridge`).
 */
export const bridgeApp: App = {
  name: 'bridge',
  parsesEvents: true,
  start(ctx) {
    const { sw, ch } = ctx;
    const dial = parseDialString(ctx.arg);
    if (!dial) {
      ch.setVar('DIALSTATUS', 'INVALIDARGS');
      ctx.done();
      return {};
    }
    let bleg: Channel | undefined;
    let over = false;
    const finish = (): void => {
      if (over) return;
      over = true;
      ctx.done();
    };
    originateLeg(sw, dial, [], (o) => {
      if (!o.ok) {
        ch.setVar('originate_disposition', o.cause);
        ch.setVar('DIALSTATUS', dialStatus(o.cause));
        finish();
        return;
      }
      bleg = o.rt.ch;
      if (ch.isHungUp || over) {
        sw.hangup(bleg, 'ORIGINATOR_CANCEL');
        return;
      }
      sw.answer(ch);
      linkLegs(sw, ch, bleg);
      ch.setVar('DIALSTATUS', 'SUCCESS');
      const b = bleg;
      o.rt.onDestroy.push(() => {
        if (ch.isHungUp || over) return;
        unlinkLegs(sw, ch, b);
        ch.otherLeg = undefined;
        ch.setVar('bridge_hangup_cause', b.hangupCause ?? 'NORMAL_CLEARING');
        ch.setVar('last_bridge_hangup_cause', b.hangupCause ?? 'NORMAL_CLEARING');
        finish();
        if (ch.getVar('hangup_after_bridge') === 'true') sw.hangup(ch, b.hangupCause ?? 'NORMAL_CLEARING');
      });
    });
    return {
      onHangup: () => {
        if (bleg && !bleg.isHungUp) sw.hangup(bleg, 'NORMAL_CLEARING');
        finish();
      },
    };
  },
};
