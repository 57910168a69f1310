import { type Kysely, sql } from 'kysely';

// Dispatcher set -> algorithm (0 hash on Call-ID, 4 round-robin, 11 relative weight).
// Kamailio's htable `dsalg` loads it through the view below at start-up and on
// `htable.reload`; the fleet writes it, then reloads.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dispatcher_sets (
      setid integer PRIMARY KEY CHECK (setid > 0),
      algorithm integer NOT NULL CHECK (algorithm IN (0, 4, 11)),
      description varchar(64) NOT NULL DEFAULT ''
    )`.execute(db);
  // htable wants a string key column; the view gives it one.
  await sql`
    CREATE VIEW dispatcher_set_algorithms AS
      SELECT setid::varchar(16) AS set_key, algorithm FROM dispatcher_sets`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP VIEW dispatcher_set_algorithms`.execute(db);
  await sql`DROP TABLE dispatcher_sets`.execute(db);
}
