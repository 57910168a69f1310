import type { MenuNode } from '../flow/flow-spec.ts';
import { collectWithRetries } from './collect-attempts.ts';
import { defineVerb, type VerbResult } from './verb-types.ts';

const EXHAUSTED: VerbResult = Object.freeze({ outcome: 'exhausted' });

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
  // A `.then` rather than an async function: this promise lives as long as the caller thinks.
  run(n, ctx, signal) {
    return collectWithRetries(n, ctx, signal, (d) => Object.hasOwn(n.options, d)).then((r) =>
      r.digits === null ? EXHAUSTED : { outcome: `option:${r.digits}` },
    );
  },
});
