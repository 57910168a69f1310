import type { PlayNode } from '../flow/flow-spec.ts';
import { defineVerb, type VerbResult } from './verb-types.ts';

const DONE: VerbResult = Object.freeze({ outcome: 'done' });

/** `play`: plays catalogue prompts; with `bargeIn` a key press stops them (the key stays buffered). */
export const playVerb = defineVerb<PlayNode>({
  kind: 'play',
  precondition: 'answered',
  terminal: false,
  edges: (n) => [{ outcome: 'done', target: n.next, label: '' }],
  prompts: (n) => [...n.prompts],
  // A `.then` rather than an async function: this promise lives as long as the prompt plays.
  run(n, ctx, signal) {
    return ctx.driver.play(ctx.prompts(n.prompts), { bargeIn: n.bargeIn ?? false, signal }).then((r) => {
      ctx.step('prompt', { prompts: n.prompts, completed: r.completed, bargedInWith: r.bargedInWith });
      return DONE;
    });
  },
});
