import { isTerminal, nodeEdges } from '../flow/flow-edges.ts';
import type { FlowNode, FlowSpec } from '../flow/flow-spec.ts';

/** A flow as a graph, precomputed once for all lint rules. */
export interface FlowGraph {
  readonly spec: FlowSpec;
  readonly names: readonly string[];
  node(name: string): FlowNode | undefined;
  /** Known targets of a state's edges (unknown ones are dropped here; a rule reports them). */
  out(name: string): readonly string[];
  /** States with an edge into `name`. */
  into(name: string): readonly string[];
  /** States reachable from the initial state. */
  readonly reachable: ReadonlySet<string>;
}

/** `true` for states that wait on the caller (menu, gather). */
export function isCollect(node: FlowNode | undefined): boolean {
  return node?.kind === 'menu' || node?.kind === 'gather';
}

/** States reachable from `from` (inclusive), following only edges whose source passes `through`. */
export function reachFrom(g: FlowGraph, from: readonly string[], through: (name: string) => boolean = () => true): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s) || !g.node(s)) continue;
    seen.add(s);
    if (through(s)) for (const t of g.out(s)) stack.push(t);
  }
  return seen;
}

/** `true` if a terminal state is reachable from `from` without waiting on the caller again. */
export function reachesExitDirectly(g: FlowGraph, from: string): boolean {
  const seen = reachFrom(g, [from], (s) => !isCollect(g.node(s)));
  for (const s of seen) if (isTerminal(g.node(s)!)) return true;
  return false;
}

/** Builds the graph view of a spec. */
export function buildFlowGraph(spec: FlowSpec): FlowGraph {
  const states = spec.states as Readonly<Record<string, FlowNode>>;
  const names = Object.keys(states);
  const outs = new Map<string, string[]>();
  const ins = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const n of names) {
    const targets = [...new Set(nodeEdges(states[n]!).map((e) => e.target))].filter((t) => Object.hasOwn(states, t));
    outs.set(n, targets);
    for (const t of targets) ins.get(t)!.push(n);
  }
  const g: FlowGraph = {
    spec,
    names,
    node: (name) => (Object.hasOwn(states, name) ? states[name] : undefined),
    out: (name) => outs.get(name) ?? [],
    into: (name) => ins.get(name) ?? [],
    reachable: new Set(),
  };
  return { ...g, reachable: reachFrom(g, [spec.initial]) };
}
