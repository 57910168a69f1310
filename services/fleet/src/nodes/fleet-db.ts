import type { Database, Kysely } from '@switchyard/core';

export type { DispatcherSetsTable } from '@switchyard/core';
/** The database as the fleet sees it (core's schema includes `dispatcher_sets`). */
export type FleetDatabase = Database;
export type FleetDb = Kysely<FleetDatabase>;

/** Widens a core `Kysely<Database>` to the fleet's view (same connection pool). */
export function asFleetDb(db: Kysely<Database>): FleetDb {
  return db as unknown as FleetDb;
}
