import type { ChannelDriver } from '../channel-driver.ts';
import type { FlowNode } from '../flow/flow-spec.ts';
import { resolvePrompts } from '../flow/prompt-catalogue.ts';
import type { FlowClock, LookupPort, StepKind } from '../runtime/runtime-types.ts';
import type { VerbContext, VerbDefinition, VerbResult } from '../verbs/verb-types.ts';
import type { FlowEnv } from './flow-env.ts';

/** Sent to the call's machine when the verb of the current state settles. */
export type VerbEvent = { readonly type: 'verb.done'; readonly output: VerbResult } | { readonly type: 'verb.error'; readonly error: unknown };

/** What a state's entry hands to {@link startVerb}: fixed at compile time. */
export interface VerbStart {
  readonly state: string;
  readonly node: FlowNode;
  readonly def: VerbDefinition;
  /** The state can be left before its verb settles (an `after` timer): it gets its own signal. */
  readonly ownSignal: boolean;
}

// A class, not a literal with closures: one small object per verb run.
class StateVerbContext implements VerbContext {
  readonly driver: ChannelDriver;
  readonly clock: FlowClock;
  readonly lookups: LookupPort;
  constructor(
    readonly state: string,
    private readonly env: FlowEnv,
    readonly vars: Readonly<Record<string, string>>,
  ) {
    this.driver = env.driver;
    this.clock = env.clock;
    this.lookups = env.lookups;
  }
  prompts(ids: readonly string[]) {
    return resolvePrompts(this.env.catalogue, ids);
  }
  step(kind: StepKind, detail: Readonly<Record<string, unknown>>): void {
    this.env.step(this.state, kind, detail);
  }
}

// Used only when a machine runs outside runFlow (which always sets env.signal).
const NEVER = new AbortController().signal;

/**
 * Runs the verb of a state just entered and reports its result to the call's machine as a
 * {@link VerbEvent} — a promise owned by the call's actor rather than a child actor per
 * verb (an actor per step costs more than the step). Work pending when the state is left
 * or the run ends is aborted through the signal, and a late result is dropped.
 */
export function startVerb(s: VerbStart, env: FlowEnv, vars: Readonly<Record<string, string>>, send: (e: VerbEvent) => void): void {
  if (s.ownSignal) {
    // A state that can be left before its verb settles (lookup): a reporter of its own, on
    // its own signal, so a late result of this run can never pass for the next one's.
    const own = new AbortController();
    env.stateAbort = own;
    new VerbReporter(env, send, own.signal).begin(s, vars);
    return;
  }
  // A state without its own signal is only left on its verb's result (or when the run ends,
  // which aborts env.signal): the call's one reporter can take it.
  let r = env.reporter;
  if (!r) env.reporter = r = new VerbReporter(env, send);
  r.begin(s, vars);
}

/**
 * The report path of a call's verbs, made once per call: each step then only adds a
 * `.then` of the verb's promise. A suspended async function per step (~400 bytes, kept —
 * and copied by every young-generation collection — for as long as the caller listens to
 * a prompt) was the largest thing a waiting call held.
 */
export class VerbReporter {
  private start: VerbStart | null = null;
  private vars: Readonly<Record<string, string>> = {};

  constructor(
    private readonly env: FlowEnv,
    private readonly send: (e: VerbEvent) => void,
    /** Aborted when the run ends, or when the state is left (a state's own signal): results after that are dropped. */
    private readonly signal: AbortSignal = env.signal ?? NEVER,
  ) {}

  begin(s: VerbStart, vars: Readonly<Record<string, string>>): void {
    this.start = s;
    this.vars = vars;
    const env = this.env;
    let p: Promise<VerbResult>;
    try {
      // Preconditions are resolved here, before the verb, so verbs never check the channel.
      p = s.def.precondition === 'answered' && !env.answered ? env.driver.answer({ signal: this.signal }).then(this.afterAnswer) : this.run(s);
    } catch (error) {
      p = Promise.reject(error);
    }
    p.then(this.done, this.failed);
  }

  private run(s: VerbStart): Promise<VerbResult> {
    return s.def.run(s.node, new StateVerbContext(s.state, this.env, this.vars), this.signal);
  }

  private readonly afterAnswer = (): Promise<VerbResult> => {
    this.env.answered = true;
    return this.run(this.start as VerbStart);
  };

  private readonly done = (output: VerbResult): void => {
    if (this.dropped()) return;
    if ((this.start as VerbStart).def.kind === 'answer') this.env.answered = true;
    this.send({ type: 'verb.done', output });
  };

  private readonly failed = (error: unknown): void => {
    if (this.dropped()) return;
    this.send({ type: 'verb.error', error });
  };

  /** True if the result comes too late (the run ended or the state was left); else the verb is over, and leaving its state has nothing left to abort. */
  private dropped(): boolean {
    if (this.signal.aborted) return true;
    if (this.env.stateAbort?.signal === this.signal) this.env.stateAbort = null;
    return false;
  }
}

const STATE_LEFT = Object.freeze(new Error('state left before its verb settled'));

/** Aborts the verb of a state left before it settled (exit action of states with their own signal). */
export function cancelVerb(env: FlowEnv): void {
  env.stateAbort?.abort(STATE_LEFT);
  env.stateAbort = null;
}
