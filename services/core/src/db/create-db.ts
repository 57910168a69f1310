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
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
