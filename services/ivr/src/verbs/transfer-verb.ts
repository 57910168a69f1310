import type { TransferNode } from '../flow/flow-spec.ts';
import { defineVerb } from './verb-types.ts';

/** `transfer`: hands the call to a SIP URI, an agent queue or another flow; ends this flow. */
export const transferVerb = defineVerb<TransferNode>({
  kind: 'transfer',
  precondition: 'none',
  terminal: true,
  edges: () => [],
  prompts: () => [],
  async run(n, ctx, signal) {
    ctx.step('transfer', { target: n.target });
    await ctx.driver.transfer(n.target, { signal });
    const disposition = n.disposition ?? (n.target.kind === 'queue' ? 'agent' : 'transferred');
    return { outcome: 'end', end: { end: 'transfer', disposition, transfer: n.target } };
  },
});
