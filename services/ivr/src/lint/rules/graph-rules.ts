import { isTerminal, nodeEdges } from '../../flow/flow-edges.ts';
import { reachFrom } from '../flow-graph.ts';
import type { LintRule, RuleFinding } from '../lint-types.ts';

/** Every target names a state that exists. */
export const unknownTargetRule: LintRule = {
  id: 'unknown-target',
  check({ graph }) {
    const f: RuleFinding[] = [];
    if (!graph.node(graph.spec.initial)) f.push({ state: graph.spec.initial, message: 'initial state does not exist' });
    for (const name of graph.names) {
      for (const e of nodeEdges(graph.node(name)!)) {
        if (!graph.node(e.target)) f.push({ state: name, message: `${e.label || e.outcome} goes to unknown state "${e.target}"` });
      }
    }
    return f;
  },
};

/** Every state can be reached from the start. */
export const unreachableStateRule: LintRule = {
  id: 'unreachable-state',
  check({ graph }) {
    return graph.names.filter((n) => !graph.reachable.has(n)).map((state) => ({ state, message: 'state is unreachable from the start' }));
  },
};

/** Every non-final state can still end the call (no dead ends, no closed loops). */
export const noWayOutRule: LintRule = {
  id: 'no-way-out',
  check({ graph }) {
    const f: RuleFinding[] = [];
    for (const name of graph.names) {
      const n = graph.node(name)!;
      if (isTerminal(n)) continue;
      if (graph.out(name).length === 0) {
        f.push({ state: name, message: 'non-final state has no transitions' });
        continue;
      }
      const canEnd = [...reachFrom(graph, [name])].some((s) => isTerminal(graph.node(s)!));
      if (!canEnd) f.push({ state: name, message: 'no path from here ends the call (transfer, bridge or hangup)' });
    }
    return f;
  },
};
