import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/create-db.ts';
import { startTcpProxy, type TcpProxy, testServerUrl } from '../src/testing/index.ts';

// Postgres reached through a proxy we can cut, like the recorder during a Postgres outage.
let proxy: TcpProxy;
let url: string;
beforeAll(async () => {
  const target = new URL(testServerUrl());
  proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
  target.hostname = '127.0.0.1';
  target.port = String(proxy.port);
  url = target.toString();
});
afterAll(async () => {
  await proxy?.close();
});

describe('createDb under a connection reset', () => {
  it('a reset while a client is checked out fails that query, not the process, and the pool recovers', async () => {
    const db = createDb(url, { max: 2 });
    try {
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]!.one).toBe(1);
      // pg_sleep holds the client checked out while the connection is cut under it.
      const slow = sql`select pg_sleep(5)`.execute(db).then(
        () => 'finished',
        (e: unknown) => `failed: ${e instanceof Error ? e.message : e}`,
      );
      await new Promise((r) => setTimeout(r, 300));
      await proxy.cut();
      expect(await slow).toMatch(/^failed/);
      await proxy.restore();
      let rows: unknown[] = [];
      for (let i = 0; i < 50 && rows.length === 0; i++) {
        rows = await sql`select 2 as two`
          .execute(db)
          .then((r) => r.rows)
          .catch(() => []);
        if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(rows).toEqual([{ two: 2 }]);
    } finally {
      await db.destroy().catch(() => {});
    }
  });
});
