import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';
import type { ChannelDriver, TransferTarget } from '../channel-driver.ts';
import type { FlowClock, FlowEnd, LookupPort, StepKind } from '../runtime/runtime-types.ts';
import type { VerbReporter } from './verb-runner.ts';

/** Per-call ports handed to a compiled machine as input (one object per call, no I/O of its own). */
export interface FlowEnv {
  readonly driver: ChannelDriver;
  readonly clock: FlowClock;
  readonly lookups: LookupPort;
  readonly catalogue: PromptCatalogue;
  step(state: string, kind: StepKind, detail: Readonly<Record<string, unknown>>): void;
  /** Set once the channel is answered (by `answer` or a verb's precondition). */
  answered: boolean;
  /** The state last entered. */
  current: string;
  /** Cancels the call's pending verb work; runFlow sets it and aborts it when the run ends. */
  readonly signal?: AbortSignal;
  /** The own controller of the running verb of a state that can be left early (lookup), if any. */
  stateAbort?: AbortController | null;
  /** Reports the call's verb results to its machine; made at the first verb (verb-runner.ts). */
  reporter?: VerbReporter | null;
}

/** How the machine finished; the runtime turns it into a FlowOutcome. */
export interface MachineResult {
  readonly end: FlowEnd;
  readonly disposition: string;
  readonly transfer?: TransferTarget;
  readonly error?: string;
}

/** Machine context: the ports, the call variables, and the result once there is one. */
export interface FlowContext {
  readonly env: FlowEnv;
  readonly vars: Readonly<Record<string, string>>;
  readonly result: MachineResult | null;
}

/** Machine input. */
export interface FlowInput {
  readonly env: FlowEnv;
  readonly vars: Readonly<Record<string, string>>;
}
