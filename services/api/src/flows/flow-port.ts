/** A flow as listed. */
export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  updatedAt: Date;
}

export interface LintFinding {
  flowId: string;
  state: string;
  rule: string;
  message: string;
}

export interface SimulationView {
  path: readonly string[];
  transcript: readonly string[];
  disposition: string;
  end: string;
  lastState: string;
}

/**
 * IVR flows behind the API (implemented over `@switchyard/ivr`): data flows are linted
 * and published as a new Postgres menu version; graphs and simulations use the published
 * version. Implementations throw DataFlowValidationError (400), FlowLintError (422) and
 * FlowNotFoundError (404).
 */
export interface FlowPort {
  list(): Promise<FlowSummary[]>;
  lint(definition: unknown): Promise<LintFinding[]>;
  publish(definition: unknown, createdBy: string): Promise<{ flowId: string; version: number; created: boolean }>;
  graph(flowId: string): Promise<string>;
  simulate(flowId: string, opts: { script: string; startAt?: number; from?: string; to?: string }): Promise<SimulationView>;
}
