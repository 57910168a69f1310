import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallLogProducer } from '@switchyard/calllog';
import { createDb, createLogger, type Kysely, type Database, type Redis, createRedis, redisReady } from '@switchyard/core';
import {
  createTestDatabase,
  sleep,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  testRedisPrefix,
  testRedisUrl,
  waitFor,
} from '@switchyard/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLogConsumer, LegWriter } from '../src/index.ts';
import { produceLegs, startProducer } from './pipeline-fixture.ts';

// Postgres unreachable for OUTAGE_MS (30 s by default, as the acceptance list asks) while
// 10,000 legs are produced: afterwards exactly 10,000 rows, none twice.
const OUTAGE_MS = Number(process.env.CALLLOG_OUTAGE_MS ?? 30_000);
const LEGS = 10_000;

describe('recorder with Postgres unavailable', () => {
  let t: TestDatabase;
  let proxy: TcpProxy;
  let viaProxy: Kysely<Database>;
  let producer: CallLogProducer;
  let redis: Redis;
  let consumerRedis: Redis;
  let consumer: CallLogConsumer;
  let dir: string;
  const stream = `${testRedisPrefix('pgout')}calllog`;

  beforeAll(async () => {
    t = await createTestDatabase();
    proxy = await startTcpProxy(Number(new URL(t.url).port || 5432));
    const url = new URL(t.url);
    url.port = String(proxy.port);
    viaProxy = createDb(url.toString(), { max: 4 });
    dir = await mkdtemp(path.join(os.tmpdir(), 'calllog-pg-'));
    ({ producer, redis } = await startProducer(stream, dir));
    consumerRedis = createRedis(testRedisUrl());
    await redisReady(consumerRedis); // no offline queue: commands fail until connected
  });
  afterAll(async () => {
    await consumer?.stop();
    await producer.close();
    await redis.del(stream, `${stream}:dead`);
    redis.disconnect();
    consumerRedis.disconnect();
    await viaProxy.destroy();
    await proxy.close();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes exactly 10,000 legs after a 30 s outage', { timeout: OUTAGE_MS + 90_000 }, async () => {
    consumer = new CallLogConsumer({
      redis: consumerRedis,
      writer: new LegWriter(viaProxy),
      stream,
      deadLetter: `${stream}:dead`,
      group: 'recorder',
      consumer: 'pg-outage-1',
      logger: createLogger('test', 'fatal'),
    });
    await consumer.start();
    // Some legs go through while Postgres is up, the rest while it is away.
    const early = produceLegs(producer, 500);
    await waitFor(async () => {
      const r = await t.db.selectFrom('call_legs').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(r.n) === early.length;
    });
    await proxy.cut();
    const outageEnds = Date.now() + OUTAGE_MS;
    const ids = [...early];
    // Spread the rest over the first part of the outage, as calls would arrive.
    for (let i = 0; i < 19; i++) {
      ids.push(...produceLegs(producer, (LEGS - early.length) / 19));
      await sleep(Math.min(500, OUTAGE_MS / 40));
    }
    await producer.flush();
    expect(ids).toHaveLength(LEGS);
    await sleep(Math.max(0, outageEnds - Date.now()));
    const during = await t.db.selectFrom('call_legs').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(during.n)).toBe(early.length);
    await proxy.restore();

    await waitFor(
      async () => {
        const r = await t.db.selectFrom('call_legs').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
        return Number(r.n) === LEGS;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: '10,000 legs' },
    );
    await waitFor(async () => Number(((await redis.xpending(stream, 'recorder')) as [number])[0]) === 0);
    const r = await sql<{ n: string; d: string; closed: string; steps: string }>`
      SELECT count(*) AS n, count(DISTINCT leg_id) AS d,
             count(*) FILTER (WHERE disposition = 'answered' AND ended_at IS NOT NULL) AS closed,
             (SELECT count(*) FROM ivr_steps) AS steps
      FROM call_legs`.execute(t.db);
    expect(r.rows[0]).toEqual({ n: '10000', d: '10000', closed: '10000', steps: '20000' });
    expect(await redis.xlen(`${stream}:dead`)).toBe(0);
    const rows = await t.db.selectFrom('call_legs').select('leg_id').execute();
    expect(new Set(rows.map((x) => x.leg_id))).toEqual(new Set(ids));
  });
});
