import { StateMachine } from 'xstate';
import type { CompiledFlow } from '../compiler/compile-flow.ts';

type FlowMachine = CompiledFlow['machine'];

// One variant per (flow, state), built on first use: bounded by the flow's state count and
// released with the flow itself.
const variants = new WeakMap<CompiledFlow, Map<string, FlowMachine>>();

/**
 * The flow's machine with `state` as its initial state (for a takeover that resumes a call
 * mid-flow), or an error message when the flow has no such state. Entering the state runs
 * it from its start (its verb is re-issued), exactly as a transition into it would.
 */
export function machineStartingAt(flow: CompiledFlow, state: string): FlowMachine | string {
  if (state === flow.spec.initial) return flow.machine;
  if (!Object.hasOwn(flow.spec.states, state)) {
    return `start state "${state}" is not a state of flow ${flow.id} v${flow.version}`;
  }
  let perFlow = variants.get(flow);
  if (!perFlow) variants.set(flow, (perFlow = new Map()));
  let m = perFlow.get(state);
  if (!m) {
    const base = flow.machine;
    m = new StateMachine({ ...base.config, initial: state } as never, base.implementations as never) as unknown as FlowMachine;
    perFlow.set(state, m);
  }
  return m;
}
