import type { TransferTarget } from '../channel-driver.ts';

/**
 * The one form every flow compiles through: a graph of named states, each running one
 * verb, with transitions keyed by the verb's outcome. The TypeScript builder and the
 * Postgres data form both produce a FlowSpec; the compiler turns it into an XState
 * machine; the linter and the Mermaid printer read it as a graph. `T` is the union of
 * state names, so the builder can type-check targets.
 */

/** Names of the linter's rules (used in exemptions and messages). */
export type LintRuleId =
  | 'prompt-timeouts'
  | 'bounded-retries'
  | 'retries-exit'
  | 'submenu-back'
  | 'zero-to-agent'
  | 'confirm-irreversible'
  | 'prompt-in-catalogue'
  | 'unreachable-state'
  | 'no-way-out'
  | 'unknown-target';

/** Fields every node may carry. */
export interface NodeBase {
  /** Rules this state is exempt from, each with the written reason (required, non-empty). */
  readonly lintExempt?: Partial<Record<LintRuleId, string>>;
  readonly description?: string;
}

export interface AnswerNode<T extends string = string> extends NodeBase {
  readonly kind: 'answer';
  readonly next: T;
}

export interface PlayNode<T extends string = string> extends NodeBase {
  readonly kind: 'play';
  /** Prompt catalogue ids, played in order. */
  readonly prompts: readonly string[];
  readonly bargeIn?: boolean;
  readonly next: T;
}

/** Digit-collection settings shared by `menu` and `gather`. */
export interface CollectSettings {
  readonly prompt: readonly string[];
  /** Played before the prompt again after a wrong entry (and after silence, unless `noInputPrompt`). */
  readonly invalidPrompt?: readonly string[];
  readonly noInputPrompt?: readonly string[];
  readonly minDigits?: number;
  readonly maxDigits?: number;
  readonly terminator?: string;
  readonly interDigitTimeoutMs?: number;
  readonly noInputTimeoutMs?: number;
  /** Attempts after the first; the linter requires a small bound. */
  readonly maxRetries?: number;
}

export interface MenuNode<T extends string = string> extends NodeBase, CollectSettings {
  readonly kind: 'menu';
  /** Digits → target state. */
  readonly options: Readonly<Record<string, T>>;
  /** Where to go when retries run out (an agent, or a sane default). */
  readonly onExhausted: T;
  /** This menu asks the caller to confirm an irreversible action. */
  readonly confirm?: boolean;
}

export interface GatherNode<T extends string = string> extends NodeBase, CollectSettings {
  readonly kind: 'gather';
  /** Call variable that receives the digits. */
  readonly into: string;
  /** Regular expression the digits must match (whole string). */
  readonly pattern?: string;
  readonly next: T;
  readonly onExhausted: T;
}

export interface SayNode<T extends string = string> extends NodeBase {
  readonly kind: 'say';
  readonly as: 'digits' | 'number' | 'date';
  /** Template such as `{{balance}}`. */
  readonly value: string;
  readonly next: T;
}

export interface LookupNode<T extends string = string> extends NodeBase {
  readonly kind: 'lookup';
  /** Name in the lookup port, e.g. `account.balance`, `dnc.add`. */
  readonly name: string;
  /** Arguments as templates over call variables, e.g. `{ account: '{{account}}' }`. */
  readonly args?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Changes something that cannot be undone (opt-out, payment, delete): needs a confirm step. */
  readonly irreversible?: boolean;
  readonly next: T;
  /** Taken on error, timeout or a missing lookup. */
  readonly fallback: T;
}

export interface SetVarNode<T extends string = string> extends NodeBase {
  readonly kind: 'setVar';
  readonly name: string;
  /** Template over call variables. */
  readonly value: string;
  /** Also set it on the channel. */
  readonly channel?: boolean;
  readonly next: T;
}

/** A condition a `branch` state tests (evaluated by named guards). */
export type Condition =
  | {
      readonly type: 'timeOfDay';
      /** IANA zone, e.g. `Europe/London`. */
      readonly tz: string;
      /** ISO weekdays, 1 = Monday … 7 = Sunday. */
      readonly days: readonly number[];
      /** `HH:MM`, inclusive. */
      readonly open: string;
      /** `HH:MM`, exclusive. */
      readonly close: string;
    }
  | { readonly type: 'varEquals'; readonly name: string; readonly value: string }
  | { readonly type: 'varPresent'; readonly name: string };

export interface BranchNode<T extends string = string> extends NodeBase {
  readonly kind: 'branch';
  readonly cases: readonly { readonly when: Condition; readonly target: T }[];
  readonly otherwise: T;
}

export interface TransferNode extends NodeBase {
  readonly kind: 'transfer';
  readonly target: TransferTarget;
  readonly disposition?: string;
}

export interface BridgeNode<T extends string = string> extends NodeBase {
  readonly kind: 'bridge';
  /** SIP URI. */
  readonly target: string;
  readonly timeoutMs: number;
  readonly disposition?: string;
  /** Where to go when the other leg is busy, does not answer, or fails. */
  readonly onFailure: T;
}

export interface HangupNode extends NodeBase {
  readonly kind: 'hangup';
  readonly disposition: string;
  readonly cause?: string;
}

/** Any state of a flow. */
export type FlowNode<T extends string = string> =
  | AnswerNode<T>
  | PlayNode<T>
  | MenuNode<T>
  | GatherNode<T>
  | SayNode<T>
  | LookupNode<T>
  | SetVarNode<T>
  | BranchNode<T>
  | TransferNode
  | BridgeNode<T>
  | HangupNode;

/** Verb names. */
export type VerbKind = FlowNode['kind'];

/** A flow in its one intermediate form. */
export interface FlowSpec<T extends string = string> {
  readonly id: string;
  /** Version; code flows use 1 unless they say otherwise. */
  readonly version: number;
  readonly name?: string;
  readonly initial: T;
  readonly states: Readonly<Record<T, FlowNode<T>>>;
}
