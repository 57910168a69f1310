import type { SetVarNode } from '../flow/flow-spec.ts';
import { fillTemplate } from '../flow/template.ts';
import { defineVerb } from './verb-types.ts';

/** `setVar`: sets a call variable (and, with `channel`, the channel variable). */
export const setVarVerb = defineVerb<SetVarNode>({
  kind: 'setVar',
  precondition: 'none',
  terminal: false,
  edges: (n) => [{ outcome: 'done', target: n.next, label: '' }],
  prompts: () => [],
  async run(n, ctx, signal) {
    const value = fillTemplate(n.value, ctx.vars);
    if (n.channel) await ctx.driver.setVar(n.name, value, { signal });
    ctx.step('set-var', { name: n.name, value });
    return { outcome: 'done', vars: { [n.name]: value } };
  },
});
