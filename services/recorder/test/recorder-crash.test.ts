import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallLogProducer } from '@switchyard/calllog';
import type { Redis } from '@switchyard/core';
import {
  createTestDatabase,
  type ManagedProcess,
  startProcess,
  type TestDatabase,
  testRedisPrefix,
  testRedisUrl,
  waitFor,
} from '@switchyard/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceLegs, startProducer } from './pipeline-fixture.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const LEGS = 10_000;

describe('recorder killed with SIGKILL mid-batch', () => {
  let t: TestDatabase;
  let producer: CallLogProducer;
  let redis: Redis;
  let dir: string;
  const procs: ManagedProcess[] = [];
  const prefix = testRedisPrefix('crash');

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'calllog-crash-'));
    ({ producer, redis } = await startProducer(`${prefix}calllog`, dir));
  });
  afterAll(async () => {
    for (const p of procs) await p.stop();
    await producer.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await t.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const start = () => {
    // tsx as a loader, not its CLI: the CLI's signal relay gives up after 30 ms on a busy
    // machine and SIGKILLs the child, which would make the graceful stop untestable.
    const p = startProcess(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        REDIS_URL: testRedisUrl(),
        SWITCHYARD_REDIS_PREFIX: prefix,
        RECORDER_CONSUMER: 'crash-1',
        RECORDER_BATCH_SIZE: '500',
        LOG_LEVEL: 'warn',
      },
    });
    procs.push(p);
    return p;
  };
  const count = async () =>
    Number((await t.db.selectFrom('call_legs').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('restarts without losing or duplicating a leg', { timeout: 90_000 }, async () => {
    const ids = produceLegs(producer, LEGS);
    await producer.flush();
    const first = start();
    await waitFor(async () => (await count()) >= 1_000, { timeoutMs: 30_000, what: `first rows\n${first.output()}` });
    await first.kill9();
    const atKill = await count();
    expect(atKill).toBeLessThan(LEGS);
    // The dead process held delivered, unacknowledged entries.
    const pending = (await redis.xpending(`${prefix}calllog`, 'recorder')) as [number];
    expect(Number(pending[0])).toBeGreaterThan(0);

    const second = start();
    await waitFor(async () => (await count()) === LEGS, { timeoutMs: 60_000, intervalMs: 200, what: `all legs\n${second.output()}` });
    await waitFor(async () => Number(((await redis.xpending(`${prefix}calllog`, 'recorder')) as [number])[0]) === 0);
    await second.stop(15_000);
    expect(await second.exited).toBe(0);
    const r = await sql<{ n: string; d: string; done: string; steps: string }>`
      SELECT count(*) AS n, count(DISTINCT leg_id) AS d, count(*) FILTER (WHERE disposition = 'answered') AS done,
             (SELECT count(*) FROM ivr_steps) AS steps FROM call_legs`.execute(t.db);
    expect(r.rows[0]).toEqual({ n: '10000', d: '10000', done: '10000', steps: '20000' });
    const rows = await t.db.selectFrom('call_legs').select('leg_id').execute();
    expect(new Set(rows.map((x) => x.leg_id))).toEqual(new Set(ids));
  });
});
