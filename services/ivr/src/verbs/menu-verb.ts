import type { MenuNode } from '../flow/flow-spec.ts';
import { collectWithRetries } from './collect-attempts.ts';
import { defineVerb } from './verb-types.ts';

/** `menu`: prompt, collect a choice among `options`, retry on silence/invalid, then `onExhausted`. */
export const menuVerb = defineVerb<MenuNode>({
  kind: 'menu',
  precondition: 'answered',
  terminal: false,
  edges: (n) => [
    ...Object.entries(n.options).map(([digits, target]) => ({ outcome: `option:${digits}`, target, label: digits })),
    { outcome: 'exhausted', target: n.onExhausted, label: 'exhausted' },
  ],
  prompts: (n) => [...n.prompt, ...(n.invalidPrompt ?? []), ...(n.noInputPrompt ?? [])],
  async run(n, ctx, signal) {
    const r = await collectWithRetries(n, ctx, signal, (d) => Object.hasOwn(n.options, d));
    return r.digits === null ? { outcome: 'exhausted' } : { outcome: `option:${r.digits}` };
  },
});
