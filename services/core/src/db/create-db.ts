import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

// bigint (int8) as string, never a lossy JS number.
pg.types.setTypeParser(20, (v) => v);

export interface CreateDbOptions {
  /** Pool size: a burst of calls is not a burst of connections. */
  max?: number;
  statementTimeoutMs?: number;
}

/**
 * A pooled Kysely instance over `pg`.
 *
 * @example
 * const db = createDb(process.env.DATABASE_URL!); await db.selectFrom('nodes').selectAll().execute();
 */
export function createDb(url: string, opts: CreateDbOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client's error (Postgres restarted) must not crash the process; the pool drops it.
  pool.on('error', () => {});
  // The pool removes its own error listener from a client while it is checked out (kysely
  // holds one for each query and transaction), so a connection reset in that window would
  // be an unhandled 'error' event and kill the process. The query itself still rejects.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
