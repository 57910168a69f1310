import type { FlowNode, VerbKind } from '../flow/flow-spec.ts';
import { answerVerb } from './answer-verb.ts';
import { bridgeVerb } from './bridge-verb.ts';
import { gatherVerb } from './gather-verb.ts';
import { hangupVerb } from './hangup-verb.ts';
import { lookupVerb } from './lookup-verb.ts';
import { menuVerb } from './menu-verb.ts';
import { playVerb } from './play-verb.ts';
import { sayVerb } from './say-verb.ts';
import { setVarVerb } from './set-var-verb.ts';
import { transferVerb } from './transfer-verb.ts';
import type { VerbDefinition } from './verb-types.ts';

/** Verbs that run when their state is entered (`branch` is control flow, compiled to named guards). */
export type ActorVerbKind = Exclude<VerbKind, 'branch'>;

/** The node type of a verb kind. */
export type NodeOf<K extends VerbKind> = Extract<FlowNode, { kind: K }>;

/**
 * Every verb, by kind. Adding a verb = its file plus one line here; the compiler, linter
 * and diagram read edges and prompts from this table.
 */
export const verbRegistry: { readonly [K in ActorVerbKind]: VerbDefinition<NodeOf<K>> } = {
  answer: answerVerb,
  play: playVerb,
  menu: menuVerb,
  gather: gatherVerb,
  say: sayVerb,
  lookup: lookupVerb,
  setVar: setVarVerb,
  transfer: transferVerb,
  bridge: bridgeVerb,
  hangup: hangupVerb,
};

/** The verb definition of a node (typed loosely, for generic walkers). */
export function verbOf(node: Exclude<FlowNode, { kind: 'branch' }>): VerbDefinition {
  return verbRegistry[node.kind] as unknown as VerbDefinition;
}
