import type { Database, Kysely } from '@switchyard/core';
import { promptCatalogue } from '@switchyard/ivr-flows';
import { sql } from 'kysely';

/** One media node of the demo fleet. */
export interface DemoNode {
  name: string;
  eslHost: string;
  eslPort: number;
  sipUri: string;
}

/**
 * The demo's DIDs: the main menu over inbound ESL (park, 1xxx) and over outbound ESL
 * (socket, 2xxx); 1001/2001 run the same menu without its opening hours (demo-flows.ts).
 */
export const DEMO_DIDS = { inbound: '1000', outbound: '2000', inbound24h: '1001', outbound24h: '2001' } as const;

const ROUTES = [
  [DEMO_DIDS.inbound, 'main-menu', 'inbound'],
  [DEMO_DIDS.outbound, 'main-menu', 'outbound'],
  [DEMO_DIDS.inbound24h, 'main-menu-24h', 'inbound'],
  [DEMO_DIDS.outbound24h, 'main-menu-24h', 'outbound'],
] as const;
export const DEMO_CAMPAIGN = 'demo-campaign';

/**
 * Writes the demo configuration, idempotently (rerunning `npm start` changes nothing but
 * node addresses): nodes, flows, prompts, DID routes, the 127.0.0.1 allow-list entry and
 * a draft campaign. Nodes are (re)written `registered`: the fleet (in the API process)
 * takes them through probing to active once Kamailio's OPTIONS probe and the engine's ESL
 * link are both up, as for any new node.
 */
export async function applyDemoConfig(db: Kysely<Database>, nodes: DemoNode[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const n of nodes) {
      await tx
        .insertInto('nodes')
        .values({ name: n.name, esl_host: n.eslHost, esl_port: n.eslPort, sip_uri: n.sipUri, state: 'registered', set_id: 1, weight: 50 })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({ esl_host: n.eslHost, esl_port: n.eslPort, sip_uri: n.sipUri, state: 'registered', drain_started_at: null, updated_at: new Date() }),
        )
        .execute();
    }
    for (const [id, name] of [
      ['main-menu', 'Inbound main menu'],
      ['campaign-outbound', 'Campaign outbound'],
      ['main-menu-24h', 'Inbound main menu (always open)'],
    ] as const) {
      await tx.insertInto('ivr_flows').values({ id, name, source: 'code' }).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
    for (const [id, p] of Object.entries(promptCatalogue)) {
      await tx
        .insertInto('ivr_prompts')
        .values({ id, file_path: p.file, duration_ms: p.durationMs, description: `demo prompt ${id}` })
        .onConflict((oc) => oc.column('id').doUpdateSet({ file_path: p.file, duration_ms: p.durationMs }))
        .execute();
    }
    for (const [did, flowId, flavour] of ROUTES) {
      await tx
        .insertInto('did_routes')
        .values({ did, flow_id: flowId, flavour })
        .onConflict((oc) => oc.column('did').doUpdateSet({ flow_id: flowId, flavour, enabled: true }))
        .execute();
    }
    await sql`INSERT INTO address (grp, ip_addr, mask, port, tag)
      SELECT 1, '127.0.0.1', 32, 0, 'demo-localhost'
      WHERE NOT EXISTS (SELECT 1 FROM address WHERE ip_addr = '127.0.0.1' AND mask = 32)`.execute(tx);
    await sql`INSERT INTO campaigns (name, flow_id, caller_id, gateway, allowed_prefixes, max_cps, max_concurrent, max_attempts)
      VALUES (${DEMO_CAMPAIGN}, 'campaign-outbound', '+442071234567', 'demo', ARRAY['+44'], 5, 10, 1)
      ON CONFLICT (name) DO NOTHING`.execute(tx);
  });
}
