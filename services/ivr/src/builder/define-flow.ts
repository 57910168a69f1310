import { type CompiledFlow, compileFlow } from '../compiler/compile-flow.ts';
import type { FlowNode, FlowSpec } from '../flow/flow-spec.ts';
import type { PromptCatalogue } from '../flow/prompt-catalogue.ts';

/** A TypeScript flow definition: state names are inferred from `states`, and every target must be one of them. */
export interface FlowDefinition<S extends string> {
  readonly id: string;
  readonly version?: number;
  readonly name?: string;
  readonly initial: NoInfer<S>;
  readonly states: { readonly [K in S]: FlowNode<NoInfer<S>> };
}

/** A code flow: its spec plus the catalogue it plays from; `compile()` gives the runnable machine. */
export interface CodeFlow<S extends string = string> {
  readonly spec: FlowSpec<S>;
  readonly catalogue: PromptCatalogue;
  compile(): CompiledFlow;
}

/**
 * The typed builder for flows written in TypeScript (`ivr-flows/*.ts`). A typo in a
 * target state is a type error; the compiled form is the same XState machine (built
 * with `setup()`) that data flows compile to.
 *
 * @example
 * export default defineFlow({
 *   id: 'hello', initial: 'greet',
 *   states: {
 *     greet: { kind: 'play', prompts: ['welcome'], next: 'bye' },
 *     bye: { kind: 'hangup', disposition: 'completed' },
 *   },
 * }, catalogue);
 */
export function defineFlow<S extends string>(def: FlowDefinition<S>, catalogue: PromptCatalogue): CodeFlow<S> {
  const spec: FlowSpec<S> = { id: def.id, version: def.version ?? 1, name: def.name, initial: def.initial, states: def.states };
  let compiled: CompiledFlow | null = null;
  return {
    spec,
    catalogue,
    compile: () => {
      compiled ??= compileFlow(spec as unknown as FlowSpec, catalogue);
      return compiled;
    },
  };
}
