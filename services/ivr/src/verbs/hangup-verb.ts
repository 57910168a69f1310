import { isChannelHangup } from '../channel-driver.ts';
import type { HangupNode } from '../flow/flow-spec.ts';
import { defineVerb } from './verb-types.ts';

/** `hangup`: ends the call with a business disposition and a Q.850 cause. */
export const hangupVerb = defineVerb<HangupNode>({
  kind: 'hangup',
  precondition: 'none',
  terminal: true,
  edges: () => [],
  prompts: () => [],
  async run(n, ctx, signal) {
    const cause = n.cause ?? 'NORMAL_CLEARING';
    ctx.step('hangup', { disposition: n.disposition, cause });
    try {
      await ctx.driver.hangup({ disposition: n.disposition, cause }, { signal });
    } catch (err) {
      // Already gone is what we wanted; keep the flow's disposition.
      if (!isChannelHangup(err)) throw err;
    }
    return { outcome: 'end', end: { end: 'hangup', disposition: n.disposition } };
  },
});
