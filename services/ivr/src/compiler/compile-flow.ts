import { assign, setup } from 'xstate';
import { isChannelHangup } from '../channel-driver.ts';
import { evaluateCondition, describeCondition } from '../flow/branch-guards.ts';
import { isTerminal, nodeEdges } from '../flow/flow-edges.ts';
import type { Condition, FlowNode, FlowSpec } from '../flow/flow-spec.ts';
import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';
import type { StepKind } from '../runtime/runtime-types.ts';
import { verbOf } from '../verbs/verb-registry.ts';
import type { FlowContext, FlowInput, MachineResult } from './flow-env.ts';
import { cancelVerb, startVerb, type VerbEvent, type VerbStart } from './verb-runner.ts';

/** A flow ready to run: its spec, its catalogue and its XState machine. Immutable; a call keeps the one it started with. */
export interface CompiledFlow {
  readonly id: string;
  readonly version: number;
  readonly spec: FlowSpec;
  readonly catalogue: PromptCatalogue;
  readonly machine: FlowMachine;
}

/** The XState machine of a compiled flow. */
export type FlowMachine = ReturnType<typeof flowMachine>;

/** A spec that cannot be compiled (unknown target, reserved name...). */
export class FlowCompileError extends Error {
  override readonly name = 'FlowCompileError';
}

const END = '__end';

type DoneEvent = Extract<VerbEvent, { type: 'verb.done' }>;

/**
 * The named guards and actions every flow machine uses. A verb runs as a promise started
 * by its state's `runVerb` entry action and answers with a `verb.done` / `verb.error`
 * event (see verb-runner.ts), so a step costs one transition of the call's actor.
 */
function flowSetup() {
  return setup({
    types: {} as { context: FlowContext; input: FlowInput; output: MachineResult; events: VerbEvent },
    guards: {
      outcomeIs: ({ event }, p: { outcome: string }) => (event as DoneEvent).output.outcome === p.outcome,
      ended: ({ event }) => (event as DoneEvent).output.end !== undefined,
      condition: ({ context }, p: { when: Condition }) => evaluateCondition(p.when, context.vars, context.env.clock.now()),
    },
    actions: {
      enterState: ({ context }, p: { state: string; detail: StepDetail }) => {
        context.env.current = p.state;
        context.env.step(p.state, 'state', p.detail);
      },
      runVerb: ({ context, self }, p: VerbStart) => startVerb(p, context.env, context.vars, self.send),
      cancelVerb: ({ context }) => cancelVerb(context.env),
      storeVars: assign({
        vars: ({ context, event }) => {
          const v = (event as DoneEvent).output.vars;
          return v ? { ...context.vars, ...v } : context.vars;
        },
      }),
      storeEnd: assign({
        result: ({ event }) => (event as DoneEvent).output.end as MachineResult,
      }),
      storeError: assign({
        result: ({ event }) => {
          const err = (event as Extract<VerbEvent, { type: 'verb.error' }>).error;
          return isChannelHangup(err)
            ? { end: 'caller-hangup' as const, disposition: 'caller-hangup' }
            : { end: 'error' as const, disposition: 'error', error: String(err) };
        },
      }),
      storeStuck: assign({
        result: ({ event }) => ({
          end: 'error' as const,
          disposition: 'error',
          error: `verb outcome "${(event as DoneEvent).output.outcome}" has no edge`,
        }),
      }),
      logStep: ({ context }, p: { state: string; kind: StepKind; detail: StepDetail }) => context.env.step(p.state, p.kind, p.detail),
    },
  });
}

type StepDetail = Readonly<Record<string, unknown>>;

// Step details known at compile time are built once per flow and shared by every call.
const detail = (d: Record<string, unknown>): StepDetail => Object.freeze(d);
const logStep = (state: string, kind: StepKind, d: Record<string, unknown>) => ({ type: 'logStep', params: { state, kind, detail: detail(d) } }) as const;

function branchState(name: string, node: Extract<FlowNode, { kind: 'branch' }>) {
  return {
    entry: { type: 'enterState', params: { state: name, detail: detail({ verb: 'branch' }) } },
    always: [
      ...node.cases.map((c) => ({
        guard: { type: 'condition', params: { when: c.when } },
        target: c.target,
        reenter: true,
        actions: logStep(name, 'branch', { guard: describeCondition(c.when), taken: c.target }),
      })),
      {
        target: node.otherwise,
        reenter: true,
        actions: logStep(name, 'branch', { guard: 'otherwise', taken: node.otherwise }),
      },
    ],
  };
}

function verbState(name: string, node: Exclude<FlowNode, { kind: 'branch' }>) {
  // `reenter`: an edge back to the same state runs its verb again, like any other entry.
  const onDone: unknown[] = nodeEdges(node).map((e) => ({
    guard: { type: 'outcomeIs', params: { outcome: e.outcome } },
    target: e.target,
    reenter: true,
    actions: 'storeVars',
  }));
  if (isTerminal(node)) onDone.push({ guard: 'ended', target: END, actions: 'storeEnd' });
  onDone.push({ target: END, actions: 'storeStuck' });
  const timed = node.kind === 'lookup';
  const start: VerbStart = { state: name, node, def: verbOf(node), ownSignal: timed };
  const state: Record<string, unknown> = {
    entry: [
      { type: 'enterState', params: { state: name, detail: detail({ verb: node.kind }) } },
      { type: 'runVerb', params: start },
    ],
    on: {
      'verb.done': onDone,
      'verb.error': { target: END, actions: 'storeError' },
    },
  };
  if (timed) {
    state.exit = 'cancelVerb';
    // The caller never waits longer than the lookup's timeout: leaving the state aborts the lookup.
    state.after = {
      [node.timeoutMs]: {
        target: node.fallback,
        actions: logStep(name, 'lookup', { name: node.name, result: 'timeout', ms: node.timeoutMs }),
      },
    };
  }
  return state;
}

function checkSpec(spec: FlowSpec): void {
  const names = Object.keys(spec.states);
  if (!Object.hasOwn(spec.states, spec.initial)) {
    throw new FlowCompileError(`flow ${spec.id}: initial state "${spec.initial}" does not exist`);
  }
  for (const name of names) {
    if (name.startsWith('__') || name.includes('.') || name.includes('#')) {
      throw new FlowCompileError(`flow ${spec.id}: state name "${name}" is reserved or contains . or #`);
    }
    const node = spec.states[name]!;
    for (const e of nodeEdges(node)) {
      if (!Object.hasOwn(spec.states, e.target)) {
        throw new FlowCompileError(`flow ${spec.id}: state "${name}" (${e.label || e.outcome}) targets unknown state "${e.target}"`);
      }
    }
  }
}

/**
 * Compiles a spec (from the TS builder or the data form) into an XState machine, once per
 * flow version: every call of the flow runs its own actor of this one machine.
 *
 * @example
 * const flow = compileFlow(spec, catalogue);
 * const outcome = await runFlow(flow, { driver, call });
 */
export function compileFlow(spec: FlowSpec, catalogue: PromptCatalogue): CompiledFlow {
  checkSpec(spec);
  const states: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(spec.states) as [string, FlowNode][]) {
    states[name] = node.kind === 'branch' ? branchState(name, node) : verbState(name, node);
  }
  states[END] = { type: 'final' };
  return Object.freeze({ id: spec.id, version: spec.version, spec, catalogue, machine: flowMachine(spec, states) });
}

function flowMachine(spec: FlowSpec, states: Record<string, unknown>) {
  return flowSetup().createMachine({
    id: spec.id,
    initial: spec.initial,
    context: ({ input }) => ({ env: input.env, vars: input.vars, result: null }),
    states: states as never,
    output: ({ context }) =>
      context.result ?? { end: 'error', disposition: 'error', error: 'flow ended without a result' },
  });
}
