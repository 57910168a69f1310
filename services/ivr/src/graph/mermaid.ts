import { isTerminal, nodeEdges } from '../flow/flow-edges.ts';
import type { FlowNode, FlowSpec } from '../flow/flow-spec.ts';

function label(name: string, n: FlowNode): string {
  switch (n.kind) {
    case 'transfer':
      return `${name}: transfer ${n.target.kind === 'sip' ? n.target.uri : n.target.kind === 'queue' ? `queue ${n.target.queue}` : `flow ${n.target.flowId}`}`;
    case 'hangup':
      return `${name}: hangup (${n.disposition})`;
    case 'lookup':
      return `${name}: lookup ${n.name} (${n.timeoutMs} ms)`;
    default:
      return `${name}: ${n.kind}${n.kind === 'menu' && n.confirm ? ' (confirm)' : ''}`;
  }
}

// Mermaid labels cannot hold ':' or quotes; keep them readable.
const clean = (s: string) => s.replace(/:/g, '.').replace(/"/g, "'").replace(/\s+/g, ' ').trim();

/**
 * Prints a flow as a Mermaid state diagram: one node per state, one arrow per edge,
 * labelled with the key or outcome; terminal states point at `[*]`.
 *
 * @example
 * console.log(flowToMermaid(flow.spec));
 */
export function flowToMermaid(spec: FlowSpec): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${spec.initial}`];
  for (const [name, node] of Object.entries(spec.states) as [string, FlowNode][]) {
    lines.push(`  ${name} : ${clean(label(name, node).slice(name.length + 2))}`);
    for (const e of nodeEdges(node)) lines.push(`  ${name} --> ${e.target}${e.label ? ` : ${clean(e.label)}` : ''}`);
    if (isTerminal(node)) lines.push(`  ${name} --> [*]`);
  }
  return lines.join('\n');
}
