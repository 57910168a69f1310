import type { GatherNode } from '../flow/flow-spec.ts';
import { collectWithRetries } from './collect-attempts.ts';
import { defineVerb } from './verb-types.ts';

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
    const re = n.pattern ? new RegExp(`^(?:${n.pattern})$`) : null;
    const min = n.minDigits ?? 1;
    const r = await collectWithRetries(n, ctx, signal, (d) => d.length >= min && (re === null || re.test(d)));
    return r.digits === null ? { outcome: 'exhausted' } : { outcome: 'done', vars: { [n.into]: r.digits } };
  },
});
