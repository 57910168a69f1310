import type { AnswerNode } from '../flow/flow-spec.ts';
import { defineVerb } from './verb-types.ts';

/** `answer`: answers the channel (verbs needing an answered channel also do it implicitly). */
export const answerVerb = defineVerb<AnswerNode>({
  kind: 'answer',
  precondition: 'none',
  terminal: false,
  edges: (n) => [{ outcome: 'done', target: n.next, label: '' }],
  prompts: () => [],
  async run(_n, ctx, signal) {
    await ctx.driver.answer({ signal });
    return { outcome: 'done' };
  },
});
