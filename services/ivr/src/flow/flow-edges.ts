import { verbOf } from '../verbs/verb-registry.ts';
import type { VerbEdge } from '../verbs/verb-types.ts';
import { describeCondition } from './branch-guards.ts';
import type { FlowNode } from './flow-spec.ts';

/** Every edge out of a state, whatever its verb (branches included). */
export function nodeEdges(node: FlowNode): VerbEdge[] {
  if (node.kind === 'branch') {
    return [
      ...node.cases.map((c, i) => ({ outcome: `case:${i}`, target: c.target, label: describeCondition(c.when) })),
      { outcome: 'otherwise', target: node.otherwise, label: 'otherwise' },
    ];
  }
  return verbOf(node).edges(node);
}

/** Prompt ids a state plays. */
export function nodePrompts(node: FlowNode): string[] {
  return node.kind === 'branch' ? [] : verbOf(node).prompts(node);
}

/** `true` for states that can end the flow (transfer, hangup, bridge). */
export function isTerminal(node: FlowNode): boolean {
  return node.kind !== 'branch' && verbOf(node).terminal;
}
