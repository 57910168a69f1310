import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

// Lists every user table/function so up → down → up can be compared exactly.
async function schemaShape(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ x: string }>`
    SELECT 'table ' || table_name || '.' || column_name || ':' || data_type AS x
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'
    UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE 'kysely_%'
    UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    ORDER BY 1`.execute(db);
  return rows.map((r) => r.x);
}

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => t?.drop());

  it('go up, all the way down to nothing, and up again to the same schema', async () => {
    const db = t.db as unknown as Kysely<unknown>;
    await migrateToLatest(db);
    const first = await schemaShape(db);
    expect(first).toContain('table call_legs.leg_id:uuid');
    expect(first).toContain('table dispatcher.destination:character varying');

    await migrateDown(db, true);
    expect(await schemaShape(db)).toEqual([]);

    await migrateToLatest(db);
    expect(await schemaShape(db)).toEqual(first);
  });

  it('holds the version rows Kamailio 5.6 checks at start-up', async () => {
    const rows = await t.db.selectFrom('version').select(['table_name', 'table_version']).orderBy('table_name').execute();
    expect(rows).toEqual([
      { table_name: 'address', table_version: 6 },
      { table_name: 'dispatcher', table_version: 4 },
      { table_name: 'version', table_version: 1 },
    ]);
  });

  it('partitions call_legs by day and never refuses a row outside the pre-created days', async () => {
    const parts = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM pg_inherits WHERE inhparent = 'call_legs'::regclass`.execute(t.db);
    expect(Number(parts.rows[0]!.n)).toBeGreaterThanOrEqual(9); // default + 1 back + today + 7 ahead
    await t.db
      .insertInto('call_legs')
      .values({ leg_id: '00000000-0000-4000-8000-000000000001', started_at: '2001-01-01T00:00:00Z', direction: 'inbound' })
      .execute();
    const created = await sql<{ n: number }>`SELECT switchyard_ensure_call_leg_partitions(0, 0) AS n`.execute(t.db);
    expect(created.rows[0]!.n).toBe(0);
    const where = await sql<{ p: string }>`
      SELECT tableoid::regclass::text AS p FROM call_legs WHERE leg_id = '00000000-0000-4000-8000-000000000001'`.execute(t.db);
    expect(where.rows[0]!.p).toBe('call_legs_default');
  });
});
