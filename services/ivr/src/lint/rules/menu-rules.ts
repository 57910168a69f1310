import { isCollect, reachFrom } from '../flow-graph.ts';
import type { LintRule, RuleFinding } from '../lint-types.ts';
import type { FlowGraph } from '../flow-graph.ts';

/** Menus reached from `target` without waiting on the caller in between (including `target` itself). */
function nextMenus(g: FlowGraph, target: string): Set<string> {
  const seen = reachFrom(g, [target], (s) => !isCollect(g.node(s)));
  return new Set([...seen].filter((s) => g.node(s)?.kind === 'menu'));
}

/** Is a person (queue, SIP transfer or bridge) reached from `target` without waiting on the caller? */
function reachesPerson(g: FlowGraph, target: string): boolean {
  for (const s of reachFrom(g, [target], (x) => !isCollect(g.node(x)))) {
    const n = g.node(s)!;
    if (n.kind === 'bridge' || (n.kind === 'transfer' && n.target.kind !== 'flow')) return true;
  }
  return false;
}

/** Every menu lets 0 reach a person. */
export const zeroToAgentRule: LintRule = {
  id: 'zero-to-agent',
  check({ graph }) {
    const f: RuleFinding[] = [];
    for (const name of graph.names) {
      const n = graph.node(name)!;
      if (n.kind !== 'menu') continue;
      const zero = n.options['0'];
      if (zero === undefined) f.push({ state: name, message: 'menu has no option 0; 0 must reach a person' });
      else if (!reachesPerson(graph, zero)) f.push({ state: name, message: `option 0 goes to "${zero}", which does not reach a person (queue, SIP transfer or bridge)` });
    }
    return f;
  },
};

/** A submenu (a menu reached from another menu's option) has an option leading back to a menu it came from. */
export const submenuBackRule: LintRule = {
  id: 'submenu-back',
  check({ graph }) {
    const parents = new Map<string, Set<string>>();
    for (const name of graph.names) {
      const n = graph.node(name)!;
      if (n.kind !== 'menu') continue;
      for (const t of Object.values(n.options)) {
        for (const child of nextMenus(graph, t)) {
          if (child === name) continue;
          if (!parents.has(child)) parents.set(child, new Set());
          parents.get(child)!.add(name);
        }
      }
    }
    const f: RuleFinding[] = [];
    for (const [child, from] of parents) {
      const n = graph.node(child)!;
      if (n.kind !== 'menu') continue;
      const back = Object.values(n.options).some((t) => [...nextMenus(graph, t)].some((m) => from.has(m)));
      if (!back) f.push({ state: child, message: `submenu has no option back to ${[...from].map((p) => `"${p}"`).join(' or ')}` });
    }
    return f;
  },
};
