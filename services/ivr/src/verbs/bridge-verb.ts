import type { BridgeNode } from '../flow/flow-spec.ts';
import { defineVerb } from './verb-types.ts';

/** `bridge`: connects the caller to another leg; ends the flow when answered, else `onFailure`. */
export const bridgeVerb = defineVerb<BridgeNode>({
  kind: 'bridge',
  precondition: 'none',
  terminal: true,
  edges: (n) => [{ outcome: 'failed', target: n.onFailure, label: 'failed' }],
  prompts: () => [],
  async run(n, ctx, signal) {
    const r = await ctx.driver.bridge({ target: n.target, timeoutMs: n.timeoutMs }, { signal });
    ctx.step('bridge', { target: n.target, outcome: r.outcome, cause: r.cause });
    if (r.outcome !== 'answered') return { outcome: 'failed' };
    return { outcome: 'end', end: { end: 'bridge', disposition: n.disposition ?? 'bridged' } };
  },
});
