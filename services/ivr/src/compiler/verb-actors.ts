import { fromPromise } from 'xstate';
import type { FlowNode } from '../flow/flow-spec.ts';
import { resolvePrompts } from '../flow/prompt-catalogue.ts';
import { type ActorVerbKind, verbRegistry } from '../verbs/verb-registry.ts';
import type { VerbContext, VerbDefinition, VerbResult } from '../verbs/verb-types.ts';
import type { FlowEnv } from './flow-env.ts';

/** Input of every verb actor: its node, its state, the call's ports and variables. */
export interface VerbActorInput {
  readonly node: FlowNode;
  readonly state: string;
  readonly env: FlowEnv;
  readonly vars: Readonly<Record<string, string>>;
}

function verbActor(def: VerbDefinition) {
  return fromPromise<VerbResult, VerbActorInput>(async ({ input, signal }) => {
    const { env, state } = input;
    // XState starts an initial state's invoked actors before its entry actions run; yield
    // once so the state's 'state' step is always logged before anything the verb logs.
    await Promise.resolve();
    // Preconditions are resolved here, before the verb, so verbs never check the channel.
    if (def.precondition === 'answered' && !env.answered) {
      await env.driver.answer({ signal });
      env.answered = true;
    }
    const ctx: VerbContext = {
      state,
      driver: env.driver,
      clock: env.clock,
      lookups: env.lookups,
      vars: input.vars,
      prompts: (ids) => resolvePrompts(env.catalogue, ids),
      step: (kind, detail) => env.step(state, kind, detail),
    };
    const result = await def.run(input.node, ctx, signal);
    if (def.kind === 'answer') env.answered = true;
    return result;
  });
}

/** One named XState actor per verb, built from the registry (for `setup({ actors })`). */
export function buildVerbActors(): { [K in ActorVerbKind]: ReturnType<typeof verbActor> } {
  const out = {} as { [K in ActorVerbKind]: ReturnType<typeof verbActor> };
  for (const kind of Object.keys(verbRegistry) as ActorVerbKind[]) {
    out[kind] = verbActor(verbRegistry[kind] as unknown as VerbDefinition);
  }
  return out;
}
