import type { FlowOutcome, RunFlowOptions } from '@switchyard/ivr';

/** The least the engine knows about a compiled flow (the IVR's CompiledFlow fits). */
export interface FlowHandle {
  readonly id: string;
  readonly version: number;
}

/** Compiled flows by id (published versions); a call keeps the one it started with. */
export interface FlowSource<F extends FlowHandle = FlowHandle> {
  get(flowId: string): F | undefined;
}

/** Runs a flow over a driver (the IVR's `runFlow`); resolves, never rejects, by contract. */
export type FlowRunner<F extends FlowHandle = FlowHandle> = (flow: F, opts: RunFlowOptions) => Promise<FlowOutcome>;
