import type { Database, Kysely } from '@switchyard/core';
import { dataFlowToSpec, flowToMermaid, lintFlow, parseDataFlow, PgFlowStore, simulateFlow } from '@switchyard/ivr';
import type { FlowPort } from './flow-port.ts';

/** {@link FlowPort} over `@switchyard/ivr` and its Postgres flow store. */
export function ivrFlowPort(db: Kysely<Database>): FlowPort {
  const store = new PgFlowStore(db);
  return {
    async list() {
      const rows = await db.selectFrom('ivr_flows').select(['id', 'name', 'published_version', 'updated_at']).orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, name: r.name, publishedVersion: r.published_version, updatedAt: r.updated_at }));
    },
    async lint(definition) {
      const flow = parseDataFlow(definition);
      return lintFlow(dataFlowToSpec(flow, 0), await store.loadCatalogue());
    },
    async publish(definition, createdBy) {
      return store.publish(definition, await store.loadCatalogue(), createdBy);
    },
    async graph(flowId) {
      const flow = await store.loadPublished(flowId, await store.loadCatalogue());
      return flowToMermaid(flow.spec);
    },
    async simulate(flowId, o) {
      const flow = await store.loadPublished(flowId, await store.loadCatalogue());
      const call = { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) };
      const r = await simulateFlow(flow, { script: o.script, startAt: o.startAt, call });
      return { path: r.path, transcript: r.transcript, disposition: r.outcome.disposition, end: String(r.outcome.end), lastState: r.outcome.lastState };
    },
  };
}
