import { baseConfigSchema, type Database, type Kysely, type Logger } from '@switchyard/core';
import { z } from 'zod';
import { AllowList } from './edge/allow-list.ts';
import { FloodControl } from './edge/flood-control.ts';
import { KamailioRpcClient } from './kamailio/kamailio-rpc-client.ts';
import { asFleetDb } from './nodes/fleet-db.ts';
import { FleetManager } from './nodes/fleet-manager.ts';
import type { CallCounter, EslHealthSource } from './nodes/fleet-ports.ts';

/** Environment of a process that runs the fleet (API service). */
export const fleetConfigSchema = baseConfigSchema.extend({
  /** Kamailio's loopback admin listener (kamailio.cfg RPC_IP:RPC_PORT). */
  KAMAILIO_RPC_URL: z.string().url().default('http://127.0.0.1:5089/RPC'),
  /** How often the lifecycle ticks (probing → active, drains finishing). */
  FLEET_TICK_MS: z.coerce.number().int().min(200).max(60_000).default(2_000),
});
export type FleetConfig = z.infer<typeof fleetConfigSchema>;

/** The fleet's objects, wired over one RPC client and one database pool. */
export interface FleetServices {
  rpc: KamailioRpcClient;
  fleet: FleetManager;
  allowList: AllowList;
  flood: FloodControl;
  /** Start-up: Kamailio follows Postgres (dispatcher, set algorithms, allow-list), then ticks. */
  start(): Promise<void>;
  /** Stops ticking and waits for the change in progress. */
  stop(): Promise<void>;
}

/**
 * Builds the fleet for a service (the API hosts it; the engine provides the two ports).
 *
 * @example
 * const f = createFleetServices({ db, rpcUrl: cfg.KAMAILIO_RPC_URL, esl: engine, calls: engine, log });
 * await f.start(); await f.fleet.drain('fs2');
 */
export function createFleetServices(o: {
  db: Kysely<Database>;
  rpcUrl: string;
  esl: EslHealthSource;
  calls: CallCounter;
  log?: Logger;
  tickMs?: number;
}): FleetServices {
  const db = asFleetDb(o.db);
  const rpc = new KamailioRpcClient({ url: o.rpcUrl });
  const fleet = new FleetManager({ db, rpc, esl: o.esl, calls: o.calls, log: o.log });
  const allowList = new AllowList(db, rpc, o.log);
  return {
    rpc,
    fleet,
    allowList,
    flood: new FloodControl(rpc),
    async start() {
      const inSync = await fleet.reconcile();
      await allowList.reconcile().catch((err) => o.log?.warn({ err: (err as Error).message }, 'allow-list not reloaded yet'));
      if (!inSync) o.log?.warn('Kamailio unreachable at start-up; the fleet retries on every tick');
      fleet.start(o.tickMs ?? 2_000);
    },
    stop: () => fleet.stop(),
  };
}
