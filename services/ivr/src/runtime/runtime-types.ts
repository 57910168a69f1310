import type { ChannelDriver, TransferTarget } from '../channel-driver.ts';

/**
 * The clock a flow runs on. Real calls use {@link realClock}; the simulator and tests use
 * a `VirtualClock`. Shaped like XState's `Clock` so the same object drives `after` timers.
 */
export interface FlowClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Wall-clock {@link FlowClock}. */
export const realClock: FlowClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/**
 * A named data call (Postgres, HTTP, the dialer's DNC list...). It gets the arguments the
 * flow declared (resolved from call variables) and returns values to store as variables.
 * The runtime gives up after the state's timeout and takes the fallback branch.
 */
export type LookupHandler = (
  args: Readonly<Record<string, string>>,
  opts: { readonly signal: AbortSignal },
) => Promise<Readonly<Record<string, string>>>;

/** Lookups by name, e.g. `{ 'account.balance': ..., 'dnc.add': ... }`. */
export type LookupPort = Readonly<Record<string, LookupHandler>>;

/** What the engine knows about the call when the flow starts. */
export interface CallInfo {
  /** Leg id, same as `driver.callId`. */
  readonly callId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  /** The dialled number (DID) or, outbound, the contact's number. */
  readonly to: string;
  /** Initial call variables, e.g. `{ campaign_id: '...' }`. */
  readonly vars?: Readonly<Record<string, string>>;
}

/** Kinds of {@link StepEvent}; mirrors `ivr_steps.kind`. */
export type StepKind =
  | 'state' // entered a state; detail: { verb }
  | 'prompt' // prompt played; detail: { prompts: string[], completed, bargedInWith? }
  | 'say' // detail: { kind, value }
  | 'digits' // digits collected; detail: { digits, end, attempt, valid }
  | 'timeout' // no input; detail: { attempt }
  | 'invalid' // invalid entry; detail: { digits, attempt }
  | 'exhausted' // retries ran out; detail: { attempts }
  | 'lookup' // lookup result; detail: { name, result: 'ok'|'error'|'timeout', ms, error? }
  | 'set-var' // detail: { name, value }
  | 'branch' // detail: { guard, taken }
  | 'transfer' // detail: { target }
  | 'bridge' // detail: { target, outcome, cause? }
  | 'hangup' // flow hung up; detail: { disposition, cause }
  | 'end'; // flow finished; detail: FlowOutcome without vars

/**
 * One step of a call's path through a flow, as data. The engine forwards these to the
 * call log (`ivr_steps` rows: leg_id = callId, seq, at, flow_id, flow_version, state, kind, detail).
 */
export interface StepEvent {
  readonly callId: string;
  /** 1, 2, 3... per call. */
  readonly seq: number;
  /** Clock time in ms since the epoch. */
  readonly at: number;
  readonly flowId: string;
  readonly flowVersion: number;
  readonly state: string;
  readonly kind: StepKind;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** How a flow run ended. */
export type FlowEnd =
  | 'hangup' // the flow hung up (see disposition)
  | 'transfer' // handed to a SIP URI, queue or another flow (see transfer)
  | 'bridge' // a bridge completed and the flow ended
  | 'caller-hangup' // the far end hung up mid-flow
  | 'aborted' // the engine aborted (shutdown, call taken over)
  | 'error'; // a driver call failed unexpectedly

/** The result of `runFlow(flow, options)`. */
export interface FlowOutcome {
  readonly flowId: string;
  readonly flowVersion: number;
  readonly end: FlowEnd;
  /** Business disposition, e.g. `completed`, `agent`, `opted-out`, `caller-hangup`. */
  readonly disposition: string;
  /** The state the flow was in when it ended. */
  readonly lastState: string;
  readonly transfer?: TransferTarget;
  readonly vars: Readonly<Record<string, string>>;
  readonly steps: number;
  readonly error?: string;
}

/**
 * Everything `runFlow(flow: CompiledFlow, options: RunFlowOptions): Promise<FlowOutcome>`
 * needs besides the compiled flow (see `run-flow.ts`).
 */
export interface RunFlowOptions {
  readonly driver: ChannelDriver;
  readonly call: CallInfo;
  /** Named lookups; a missing one takes the fallback branch. */
  readonly lookups?: LookupPort;
  /** Defaults to {@link realClock}. */
  readonly clock?: FlowClock;
  /** Called synchronously for every step; must not throw or block (hand off to a queue). */
  readonly onStep?: (event: StepEvent) => void;
  /** Aborting ends the run with `end: 'aborted'` and cancels what is pending on the driver. */
  readonly signal?: AbortSignal;
  /** Ends the run with `end: 'error'` after this many state entries (default 1000): a loop guard. */
  readonly maxStates?: number;
  /**
   * Takeover: start in this state instead of the flow's initial one (its verb runs afresh).
   * Not a state of the flow → the run ends at once with `end: 'error'` and an `error` naming it.
   */
  readonly startState?: string;
  /** Restored call variables (e.g. a snapshot's `outcome.vars`); they override `call.vars` and the defaults. */
  readonly vars?: Readonly<Record<string, string>>;
  /** The channel is already answered (takeover): verbs needing an answered channel skip the answer. */
  readonly answered?: boolean;
}
