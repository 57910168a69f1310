import type { LintRuleId } from '../flow/flow-spec.ts';
import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';
import type { FlowGraph } from './flow-graph.ts';

/** One finding: which flow, which state, which rule, and what to do about it. */
export interface LintIssue {
  readonly flowId: string;
  readonly state: string;
  readonly rule: LintRuleId | 'exemption-reason';
  readonly message: string;
}

/** What a rule sees. */
export interface LintInput {
  readonly graph: FlowGraph;
  readonly catalogue: PromptCatalogue;
}

/** A finding before the linter adds the flow id and applies exemptions. */
export interface RuleFinding {
  readonly state: string;
  readonly message: string;
}

/** One lint rule. */
export interface LintRule {
  readonly id: LintRuleId;
  check(input: LintInput): RuleFinding[];
}
