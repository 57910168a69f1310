import type { ChannelDriver, PromptMedia, TransferTarget } from '../channel-driver.ts';
import type { FlowNode, VerbKind } from '../flow/flow-spec.ts';
import type { FlowClock, LookupPort, StepKind } from '../runtime/runtime-types.ts';

/**
 * What a verb must have before it runs (jambonz-style preconditions, resolved by the
 * compiler's wrapper, not by the verb): `none`, or an `answered` channel.
 */
export type VerbPrecondition = 'none' | 'answered';

/** The narrow view of the call a verb gets: no session, no other verbs, no machine. */
export interface VerbContext {
  /** The state this verb runs in (for step events). */
  readonly state: string;
  readonly driver: ChannelDriver;
  readonly clock: FlowClock;
  readonly lookups: LookupPort;
  /** Call variables as they were when the state was entered. */
  readonly vars: Readonly<Record<string, string>>;
  /** Catalogue ids → media. */
  prompts(ids: readonly string[]): PromptMedia[];
  /** Records a step event for this state. */
  step(kind: StepKind, detail: Readonly<Record<string, unknown>>): void;
}

/** What a verb resolves with: an outcome naming the edge to take, plus variables to store. */
export interface VerbResult {
  readonly outcome: string;
  readonly vars?: Readonly<Record<string, string>>;
  /** Present when the verb ends the flow (transfer, hangup, completed bridge). */
  readonly end?: {
    readonly end: 'hangup' | 'transfer' | 'bridge';
    readonly disposition: string;
    readonly transfer?: TransferTarget;
  };
}

/** One edge out of a state: the outcome that takes it, and where it goes. */
export interface VerbEdge {
  readonly outcome: string;
  readonly target: string;
  /** Human label for diagrams, e.g. `1`, `no-input`, `fallback`. */
  readonly label: string;
}

/** One verb: a small unit with one contract. Registered once in the verb registry. */
export interface VerbDefinition<N extends FlowNode = FlowNode> {
  readonly kind: N['kind'] & VerbKind;
  readonly precondition: VerbPrecondition;
  /** Ends the flow when it completes with `end` set (transfer, hangup, bridge). */
  readonly terminal: boolean;
  /** Edges leaving a state running this verb (for compiler, linter and diagrams). */
  edges(node: N): VerbEdge[];
  /** Prompt ids the node plays (for the catalogue rule). */
  prompts(node: N): string[];
  /** The effect; only ever called by the verb runner (compiler/verb-runner.ts) when its state is entered. */
  run(node: N, ctx: VerbContext, signal: AbortSignal): Promise<VerbResult>;
}

/** Identity helper that keeps a verb's node type. */
export function defineVerb<N extends FlowNode>(def: VerbDefinition<N>): VerbDefinition<N> {
  return def;
}
