import type { FlowNode } from '../../flow/flow-spec.ts';
import { isCollect } from '../flow-graph.ts';
import type { LintRule, RuleFinding } from '../lint-types.ts';

// Names that smell irreversible even when a flow forgets to say so.
const IRREVERSIBLE_NAME = /opt.?out|dnc|unsubscribe|pay|charge|delete|cancel/i;

/** Is this state an action that cannot be undone? */
export function isIrreversible(n: FlowNode): boolean {
  return n.kind === 'lookup' && (n.irreversible === true || IRREVERSIBLE_NAME.test(n.name));
}

/**
 * Every way into an irreversible action passes through a confirm menu: walking back from
 * it over states that do not wait on the caller, the first prompt met must be a menu
 * with `confirm: true`, and the flow's start must not be met at all.
 */
export const confirmIrreversibleRule: LintRule = {
  id: 'confirm-irreversible',
  check({ graph }) {
    const f: RuleFinding[] = [];
    for (const name of graph.names) {
      const n = graph.node(name)!;
      if (!isIrreversible(n)) continue;
      const seen = new Set<string>([name]);
      const stack = [name];
      const offenders = new Set<string>();
      while (stack.length > 0) {
        const s = stack.pop()!;
        if (s === graph.spec.initial && s !== name) offenders.add('(flow start)');
        for (const p of graph.into(s)) {
          if (seen.has(p)) continue;
          seen.add(p);
          const pn = graph.node(p)!;
          if (isCollect(pn)) {
            if (!(pn.kind === 'menu' && pn.confirm)) offenders.add(p);
          } else stack.push(p);
        }
      }
      if (name === graph.spec.initial) offenders.add('(flow start)');
      if (offenders.size > 0) {
        f.push({ state: name, message: `irreversible action "${(n as { name: string }).name}" is reached without a confirm step from ${[...offenders].join(', ')}` });
      }
    }
    return f;
  },
};
