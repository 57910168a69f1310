import type { PromptCatalogue, PublishedVersion } from '@switchyard/ivr';
import { dataFlowToSpec, parseDataFlow } from '@switchyard/ivr';
import { checkFlowPrompts, type PromptCheckNode, PromptsNotReadyError } from './prompt-readiness.ts';

/** The store and notifier a checked publish needs (PgFlowStore and an ioredis client fit). */
export interface CheckedPublishPorts {
  store: { publish(raw: unknown, catalogue: PromptCatalogue, createdBy?: string): Promise<PublishedVersion> };
  /** Announces the new version so every engine reloads (`redis.publish(keys.flowsChanged(), id)`). */
  notify(flowId: string): Promise<unknown>;
  nodes: readonly PromptCheckNode[];
  /** Prefix for relative prompt paths on the nodes (e.g. the sounds directory). */
  baseDir?: string;
}

/**
 * Publishes a data flow only when every prompt it plays exists on every active node;
 * otherwise throws {@link PromptsNotReadyError} naming each node and file.
 *
 * @example
 * await publishFlowChecked(json, catalogue, { store, notify, nodes: nodeManager.links() }, 'alice');
 */
export async function publishFlowChecked(raw: unknown, catalogue: PromptCatalogue, ports: CheckedPublishPorts, createdBy?: string): Promise<PublishedVersion> {
  const spec = dataFlowToSpec(parseDataFlow(raw), 1);
  const missing = await checkFlowPrompts(spec, catalogue, ports.nodes, ports.baseDir);
  if (missing.length > 0) throw new PromptsNotReadyError(missing);
  const v = await ports.store.publish(raw, catalogue, createdBy);
  if (v.created) await ports.notify(v.flowId);
  return v;
}
