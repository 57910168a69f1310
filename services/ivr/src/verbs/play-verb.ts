import type { PlayNode } from '../flow/flow-spec.ts';
import { defineVerb } from './verb-types.ts';

/** `play`: plays catalogue prompts; with `bargeIn` a key press stops them (the key stays buffered). */
export const playVerb = defineVerb<PlayNode>({
  kind: 'play',
  precondition: 'answered',
  terminal: false,
  edges: (n) => [{ outcome: 'done', target: n.next, label: '' }],
  prompts: (n) => [...n.prompts],
  async run(n, ctx, signal) {
    const r = await ctx.driver.play(ctx.prompts(n.prompts), { bargeIn: n.bargeIn ?? false, signal });
    ctx.step('prompt', { prompts: n.prompts, completed: r.completed, bargedInWith: r.bargedInWith });
    return { outcome: 'done' };
  },
});
