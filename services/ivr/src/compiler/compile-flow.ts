import { assign, setup } from 'xstate';
import { isChannelHangup } from '../channel-driver.ts';
import { evaluateCondition, describeCondition } from '../flow/branch-guards.ts';
import { isTerminal, nodeEdges } from '../flow/flow-edges.ts';
import type { Condition, FlowNode, FlowSpec } from '../flow/flow-spec.ts';
import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';
import type { VerbResult } from '../verbs/verb-types.ts';
import type { FlowContext, FlowInput, MachineResult } from './flow-env.ts';
import { buildVerbActors, type VerbActorInput } from './verb-actors.ts';

/** A flow ready to run: its spec, its catalogue and its XState machine. Immutable; a call keeps the one it started with. */
export interface CompiledFlow {
  readonly id: string;
  readonly version: number;
  readonly spec: FlowSpec;
  readonly catalogue: PromptCatalogue;
  readonly machine: ReturnType<typeof flowSetup>['createMachine'] extends (...a: never[]) => infer M ? M : never;
}

/** A spec that cannot be compiled (unknown target, reserved name...). */
export class FlowCompileError extends Error {
  override readonly name = 'FlowCompileError';
}

const END = '__end';

type DoneEvent = { output: VerbResult };

/** The named actors, guards and actions every flow machine uses. */
function flowSetup() {
  return setup({
    types: {} as { context: FlowContext; input: FlowInput; output: MachineResult },
    actors: buildVerbActors(),
    guards: {
      outcomeIs: ({ event }, p: { outcome: string }) => (event as unknown as DoneEvent).output?.outcome === p.outcome,
      ended: ({ event }) => (event as unknown as DoneEvent).output?.end !== undefined,
      condition: ({ context }, p: { when: Condition }) => evaluateCondition(p.when, context.vars, context.env.clock.now()),
    },
    actions: {
      enterState: ({ context }, p: { state: string; verb: string }) => {
        context.env.current = p.state;
        context.env.step(p.state, 'state', { verb: p.verb });
      },
      storeVars: assign({
        vars: ({ context, event }) => {
          const v = (event as unknown as DoneEvent).output?.vars;
          return v ? { ...context.vars, ...v } : context.vars;
        },
      }),
      storeEnd: assign({
        result: ({ event }) => (event as unknown as DoneEvent).output.end as MachineResult,
      }),
      storeError: assign({
        result: ({ event }) => {
          const err = (event as { error?: unknown }).error;
          return isChannelHangup(err)
            ? { end: 'caller-hangup' as const, disposition: 'caller-hangup' }
            : { end: 'error' as const, disposition: 'error', error: String(err) };
        },
      }),
      storeStuck: assign({
        result: ({ event }) => ({
          end: 'error' as const,
          disposition: 'error',
          error: `verb outcome "${(event as unknown as DoneEvent).output?.outcome}" has no edge`,
        }),
      }),
      branchTaken: ({ context }, p: { state: string; taken: string; guard: string }) =>
        context.env.step(p.state, 'branch', { guard: p.guard, taken: p.taken }),
      lookupTimedOut: ({ context }, p: { state: string; name: string; ms: number }) =>
        context.env.step(p.state, 'lookup', { name: p.name, result: 'timeout', ms: p.ms }),
    },
  });
}

function branchState(name: string, node: Extract<FlowNode, { kind: 'branch' }>) {
  return {
    entry: { type: 'enterState', params: { state: name, verb: 'branch' } },
    always: [
      ...node.cases.map((c) => ({
        guard: { type: 'condition', params: { when: c.when } },
        target: c.target,
        actions: { type: 'branchTaken', params: { state: name, taken: c.target, guard: describeCondition(c.when) } },
      })),
      {
        target: node.otherwise,
        actions: { type: 'branchTaken', params: { state: name, taken: node.otherwise, guard: 'otherwise' } },
      },
    ],
  };
}

function verbState(name: string, node: Exclude<FlowNode, { kind: 'branch' }>) {
  const onDone: unknown[] = nodeEdges(node).map((e) => ({
    guard: { type: 'outcomeIs', params: { outcome: e.outcome } },
    target: e.target,
    actions: 'storeVars',
  }));
  if (isTerminal(node)) onDone.push({ guard: 'ended', target: END, actions: 'storeEnd' });
  onDone.push({ target: END, actions: 'storeStuck' });
  const state: Record<string, unknown> = {
    entry: { type: 'enterState', params: { state: name, verb: node.kind } },
    invoke: {
      src: node.kind,
      input: ({ context }: { context: FlowContext }): VerbActorInput => ({ node, state: name, env: context.env, vars: context.vars }),
      onDone,
      onError: { target: END, actions: 'storeError' },
    },
  };
  if (node.kind === 'lookup') {
    // The caller never waits longer than the lookup's timeout: leaving the state stops the actor.
    state.after = {
      [node.timeoutMs]: {
        target: node.fallback,
        actions: { type: 'lookupTimedOut', params: { state: name, name: node.name, ms: node.timeoutMs } },
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
 * Compiles a spec (from the TS builder or the data form) into an XState machine over
 * the named verb actors.
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
  const machine = flowSetup().createMachine({
    id: spec.id,
    initial: spec.initial,
    context: ({ input }) => ({ env: input.env, vars: input.vars, result: null }),
    states: states as never,
    output: ({ context }) =>
      context.result ?? { end: 'error', disposition: 'error', error: 'flow ended without a result' },
  });
  return Object.freeze({ id: spec.id, version: spec.version, spec, catalogue, machine });
}
