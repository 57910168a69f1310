import type { SayRequest } from '../channel-driver.ts';
import type { SayNode } from '../flow/flow-spec.ts';
import { fillTemplate } from '../flow/template.ts';
import { defineVerb } from './verb-types.ts';

/** `say`: speaks digits, a number or a date taken from call variables. */
export const sayVerb = defineVerb<SayNode>({
  kind: 'say',
  precondition: 'answered',
  terminal: false,
  edges: (n) => [{ outcome: 'done', target: n.next, label: '' }],
  prompts: () => [],
  async run(n, ctx, signal) {
    const value = fillTemplate(n.value, ctx.vars);
    let req: SayRequest;
    if (n.as === 'number') {
      const num = Number(value);
      // A lookup that returned garbage must not crash the call: say nothing, go on.
      if (value === '' || !Number.isFinite(num)) {
        ctx.step('say', { as: n.as, value, skipped: 'not a number' });
        return { outcome: 'done' };
      }
      req = { kind: 'number', value: num };
    } else {
      req = n.as === 'digits' ? { kind: 'digits', value } : { kind: 'date', value };
    }
    await ctx.driver.say(req, { signal });
    ctx.step('say', { as: n.as, value });
    return { outcome: 'done' };
  },
});
