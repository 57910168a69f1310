import type { LookupNode } from '../flow/flow-spec.ts';
import { fillTemplate } from '../flow/template.ts';
import { defineVerb } from './verb-types.ts';

/**
 * `lookup`: a named async data call through the lookup port. The state's own timer (an
 * XState `after`, see the compiler) takes `fallback` at `timeoutMs` and aborts the call,
 * so a caller never waits longer than that; errors and missing lookups fall back too.
 */
export const lookupVerb = defineVerb<LookupNode>({
  kind: 'lookup',
  precondition: 'none',
  terminal: false,
  edges: (n) => [
    { outcome: 'ok', target: n.next, label: 'ok' },
    { outcome: 'fallback', target: n.fallback, label: 'fallback' },
  ],
  prompts: () => [],
  async run(n, ctx, signal) {
    const started = ctx.clock.now();
    const handler = ctx.lookups[n.name];
    if (!handler) {
      ctx.step('lookup', { name: n.name, result: 'error', ms: 0, error: 'no such lookup' });
      return { outcome: 'fallback' };
    }
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(n.args ?? {})) args[k] = fillTemplate(v, ctx.vars);
    try {
      const out = await handler(args, { signal });
      if (signal.aborted) return { outcome: 'fallback' };
      const vars: Record<string, string> = {};
      for (const [k, v] of Object.entries(out)) if (typeof v === 'string') vars[k] = v;
      ctx.step('lookup', { name: n.name, result: 'ok', ms: ctx.clock.now() - started, vars: Object.keys(vars) });
      return { outcome: 'ok', vars };
    } catch (err) {
      if (signal.aborted) throw err;
      ctx.step('lookup', { name: n.name, result: 'error', ms: ctx.clock.now() - started, error: String(err) });
      return { outcome: 'fallback' };
    }
  },
});
