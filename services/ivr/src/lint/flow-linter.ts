import type { FlowSpec, LintRuleId } from '../flow/flow-spec.ts';
import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';
import { buildFlowGraph } from './flow-graph.ts';
import type { LintIssue, LintRule } from './lint-types.ts';
import { promptInCatalogueRule } from './rules/catalogue-rule.ts';
import { boundedRetriesRule, promptTimeoutsRule, retriesExitRule } from './rules/collect-rules.ts';
import { confirmIrreversibleRule } from './rules/confirm-rule.ts';
import { noWayOutRule, unknownTargetRule, unreachableStateRule } from './rules/graph-rules.ts';
import { submenuBackRule, zeroToAgentRule } from './rules/menu-rules.ts';

/** Every rule, in the order findings are reported. */
export const lintRules: readonly LintRule[] = [
  unknownTargetRule,
  promptTimeoutsRule,
  boundedRetriesRule,
  retriesExitRule,
  submenuBackRule,
  zeroToAgentRule,
  confirmIrreversibleRule,
  promptInCatalogueRule,
  unreachableStateRule,
  noWayOutRule,
];

/** An exemption needs a reason a reviewer can judge; a word or two is not one. */
export const MIN_EXEMPTION_REASON = 10;

/**
 * Lints a flow. Findings name the flow, the state and the rule. A state may exempt itself
 * from a rule with `lintExempt: { rule: 'reason' }`; an exemption without a written
 * reason is itself a finding.
 *
 * @example
 * const issues = lintFlow(flow.spec, flow.catalogue);
 * for (const i of issues) console.error(formatLintIssue(i));
 */
export function lintFlow(spec: FlowSpec, catalogue: PromptCatalogue): LintIssue[] {
  const graph = buildFlowGraph(spec);
  const issues: LintIssue[] = [];
  for (const name of graph.names) {
    for (const [rule, reason] of Object.entries(graph.node(name)!.lintExempt ?? {})) {
      if (typeof reason !== 'string' || reason.trim().length < MIN_EXEMPTION_REASON) {
        issues.push({ flowId: spec.id, state: name, rule: 'exemption-reason', message: `exemption from ${rule} needs a written reason (at least ${MIN_EXEMPTION_REASON} characters)` });
      }
    }
  }
  for (const rule of lintRules) {
    for (const f of rule.check({ graph, catalogue })) {
      const reason = graph.node(f.state)?.lintExempt?.[rule.id as LintRuleId];
      if (typeof reason === 'string' && reason.trim().length >= MIN_EXEMPTION_REASON) continue;
      issues.push({ flowId: spec.id, state: f.state, rule: rule.id, message: f.message });
    }
  }
  return issues;
}

/** `flow main-menu, state "sales": [zero-to-agent] menu has no option 0...` */
export function formatLintIssue(i: LintIssue): string {
  return `flow ${i.flowId}, state "${i.state}": [${i.rule}] ${i.message}`;
}

/** Thrown where lint must pass (publishing a data flow). */
export class FlowLintError extends Error {
  override readonly name = 'FlowLintError';
  constructor(readonly issues: readonly LintIssue[]) {
    super(`flow failed lint:\n${issues.map(formatLintIssue).join('\n')}`);
  }
}
