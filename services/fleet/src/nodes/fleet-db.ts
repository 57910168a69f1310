import type { Database, Kysely } from '@switchyard/core';

/** `dispatcher_sets` (migration 202611242312_fleet_sets): set id → dispatcher algorithm. */
export interface DispatcherSetsTable {
  setid: number;
  algorithm: number;
  description: string;
}

/** The database as the fleet sees it: core's tables plus its own. */
export type FleetDatabase = Database & { dispatcher_sets: DispatcherSetsTable };
export type FleetDb = Kysely<FleetDatabase>;

/** Widens a core `Kysely<Database>` to the fleet's view (same connection pool). */
export function asFleetDb(db: Kysely<Database>): FleetDb {
  return db as unknown as FleetDb;
}
