import type { GatherNode } from '../flow/flow-spec.ts';
import { collectWithRetries } from './collect-attempts.ts';
import { defineVerb } from './verb-types.ts';

// The node's pattern compiled once per node (nodes are immutable and live with their flow).
const patterns = new WeakMap<GatherNode, RegExp | null>();
function patternOf(n: GatherNode): RegExp | null {
  let re = patterns.get(n);
  if (re === undefined) patterns.set(n, (re = n.pattern ? new RegExp(`^(?:${n.pattern})$`) : null));
  return re;
}

/** `gather`: collect free digits (an account number...) into a variable, validated by `pattern`. */
export const gatherVerb = defineVerb<GatherNode>({
  kind: 'gather',
  precondition: 'answered',
  terminal: false,
  edges: (n) => [
    { outcome: 'done', target: n.next, label: 'digits' },
    { outcome: 'exhausted', target: n.onExhausted, label: 'exhausted' },
  ],
  prompts: (n) => [...n.prompt, ...(n.invalidPrompt ?? []), ...(n.noInputPrompt ?? [])],
  async run(n, ctx, signal) {
    const re = patternOf(n);
    const min = n.minDigits ?? 1;
    const r = await collectWithRetries(n, ctx, signal, (d) => d.length >= min && (re === null || re.test(d)));
    return r.digits === null ? { outcome: 'exhausted' } : { outcome: 'done', vars: { [n.into]: r.digits } };
  },
});
