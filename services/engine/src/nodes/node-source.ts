import type { Database, Kysely } from '@switchyard/core';
import type { NodeSpec } from './node-link.ts';

/** Where the node list comes from. */
export interface NodeSource {
  /** Nodes the engine should be connected to (every state but removed/registered). */
  list(): Promise<NodeSpec[]>;
}

/** Reads the fleet's `nodes` table (Postgres is the truth). */
export function dbNodeSource(db: Kysely<Database>): NodeSource {
  return {
    async list() {
      const rows = await db
        .selectFrom('nodes')
        .select(['name', 'esl_host', 'esl_port', 'state'])
        .where('state', 'in', ['probing', 'active', 'draining'])
        .execute();
      return rows.map((r) => ({ name: r.name, eslHost: r.esl_host, eslPort: r.esl_port, state: r.state }));
    },
  };
}
