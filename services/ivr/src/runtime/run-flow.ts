import { createActor } from 'xstate';
import type { CompiledFlow } from '../compiler/compile-flow.ts';
import type { FlowEnv, MachineResult } from '../compiler/flow-env.ts';
import { type FlowOutcome, type RunFlowOptions, realClock, type StepEvent } from './runtime-types.ts';
import { machineStartingAt } from './start-state.ts';

// One shared reason: aborting without one builds a DOMException (and its stack) per call.
const RUN_ENDED = Object.freeze(new Error('flow run ended'));

/** Default cap on state entries per call (a caller pressing keys needs far fewer). */
export const DEFAULT_MAX_STATES = 1000;

/**
 * Runs one call through a compiled flow over a ChannelDriver. No I/O of its own: every
 * effect goes through the driver or the lookup port. Resolves (never rejects) when the
 * flow ends, the caller hangs up, or `signal` aborts; pending driver work is cancelled.
 * `startState` + `vars` resume a call mid-flow (takeover); an unknown state ends at once
 * with `end: 'error'`.
 *
 * @example
 * const outcome = await runFlow(flow, { driver, call: { callId: driver.callId, direction: 'inbound', from, to }, onStep: (e) => log.push(e) });
 */
export function runFlow(flow: CompiledFlow, opts: RunFlowOptions): Promise<FlowOutcome> {
  const clock = opts.clock ?? realClock;
  const callId = opts.call.callId;
  let seq = 0;
  let entered = 0;
  const maxStates = opts.maxStates ?? DEFAULT_MAX_STATES;
  let runaway: (() => void) | null = null;
  const emit = (state: string, kind: StepEvent['kind'], detail: Readonly<Record<string, unknown>>) => {
    seq++;
    // A loop of states that never wait on the caller would spin forever; stop it.
    if (kind === 'state' && ++entered > maxStates && runaway) queueMicrotask(runaway);
    if (!opts.onStep) return;
    try {
      opts.onStep({ callId, seq, at: clock.now(), flowId: flow.id, flowVersion: flow.version, state, kind, detail });
    } catch {
      // A faulty listener must not break the call.
    }
  };
  const start = opts.startState ?? flow.spec.initial;
  // One controller for the whole run: a verb is only left early when its state has its own (lookup).
  const verbs = new AbortController();
  const env: FlowEnv = {
    driver: opts.driver,
    clock,
    lookups: opts.lookups ?? {},
    catalogue: flow.catalogue,
    step: emit,
    answered: opts.answered ?? false,
    current: start,
    signal: verbs.signal,
    stateAbort: null,
    reporter: null,
  };
  const vars = { caller: opts.call.from, dialled: opts.call.to, direction: opts.call.direction, ...opts.call.vars, ...opts.vars };
  const machine = machineStartingAt(flow, start);
  if (typeof machine === 'string') {
    const outcome: FlowOutcome = { flowId: flow.id, flowVersion: flow.version, end: 'error', disposition: 'error', lastState: start, error: machine, vars, steps: 1 };
    const { vars: _omit, ...summary } = outcome;
    emit(start, 'end', summary);
    return Promise.resolve(outcome);
  }
  const actor = createActor(machine, { input: { env, vars }, clock });

  return new Promise<FlowOutcome>((resolve) => {
    let settled = false;
    const finish = (r: MachineResult, verbPending = true) => {
      if (settled) return;
      settled = true;
      unsubscribeDriver();
      opts.signal?.removeEventListener('abort', onAbort);
      sub.unsubscribe();
      const finalVars = (actor.getSnapshot().context?.vars ?? vars) as Record<string, string>;
      actor.stop();
      // Cancels the driver work still pending (hangup, abort, runaway); late results are dropped.
      // A machine that completed did so on its last verb's result: nothing is left to cancel,
      // and an abort (an event dispatched) is the dearest thing left in a call's teardown.
      if (verbPending) {
        env.stateAbort?.abort(RUN_ENDED);
        verbs.abort(RUN_ENDED);
      }
      const outcome: FlowOutcome = {
        flowId: flow.id,
        flowVersion: flow.version,
        end: r.end,
        disposition: r.disposition,
        lastState: env.current,
        ...(r.transfer ? { transfer: r.transfer } : {}),
        ...(r.error ? { error: r.error } : {}),
        vars: finalVars,
        steps: seq + 1,
      };
      const { vars: _omit, ...summary } = outcome;
      emit(env.current, 'end', summary);
      resolve(outcome);
    };
    const onAbort = () => finish({ end: 'aborted', disposition: 'aborted' });
    runaway = () => finish({ end: 'error', disposition: 'error', error: `entered more than ${maxStates} states; stopped a runaway loop` });
    const unsubscribeDriver = opts.driver.onEvent((e) => {
      if (e.type !== 'hangup') return;
      // While the flow itself hangs up or transfers, the channel going away is expected:
      // the verb settles (the driver rejects pending calls on hangup) and decides the outcome.
      const kind = (flow.spec.states as Record<string, { kind: string } | undefined>)[env.current]?.kind;
      if (kind === 'hangup' || kind === 'transfer') return;
      finish({ end: 'caller-hangup', disposition: 'caller-hangup' });
    });
    const sub = actor.subscribe({
      complete: () => finish(actor.getSnapshot().output as MachineResult, false),
      error: (err) => finish({ end: 'error', disposition: 'error', error: String(err) }),
    });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    actor.start();
  });
}
