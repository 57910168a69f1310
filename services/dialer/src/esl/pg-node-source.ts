import type { DialerDb } from '../db/dialer-schema.ts';
import type { NodeSource } from '../runner/switch-port.ts';
import type { EslSwitch } from './esl-switch.ts';

/**
 * Ready nodes = fleet's `nodes` rows in state `active` whose ESL control connection is up.
 * Each read also syncs the ESL connections with the table (new nodes connect, removed ones close).
 */
export function pgNodeSource(db: DialerDb, sw: EslSwitch): NodeSource {
  return {
    async activeNodes() {
      const rows = await db.selectFrom('nodes').select(['name', 'esl_host', 'esl_port', 'weight']).where('state', '=', 'active').execute();
      sw.sync(rows.map((r) => ({ name: r.name, host: r.esl_host, port: r.esl_port })));
      const ready = new Set(sw.ready());
      return rows.filter((r) => ready.has(r.name)).map((r) => ({ name: r.name, weight: r.weight }));
    },
  };
}
