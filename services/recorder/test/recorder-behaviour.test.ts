import { callKpis, foldEvents } from '@switchyard/calllog';
import { legEvents, parsedLegEvents } from '@switchyard/calllog/testing';
import { createLogger, createRedis, type Redis, redisReady } from '@switchyard/core';
import { createTestDatabase, type TestDatabase, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLogConsumer, KpiRollupKeeper, LegWriter, LostLegReconciler, PartitionKeeper, StreamJanitor } from '../src/index.ts';

describe('recorder', () => {
  let t: TestDatabase;
  let redis: Redis;
  const prefix = testRedisPrefix('recorder');
  const consumers: CallLogConsumer[] = [];
  const clients: Redis[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    redis = createRedis(testRedisUrl());
    await redisReady(redis); // no offline queue: commands fail until connected
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    for (const c of clients) c.disconnect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await t.drop();
  });

  const add = async (stream: string, events: unknown[]) => {
    const p = redis.pipeline();
    for (const e of events) p.xadd(stream, '*', 'e', JSON.stringify(e));
    for (const [err] of (await p.exec()) ?? []) if (err) throw err;
  };
  const startConsumer = (stream: string, name: string, extra: Partial<ConstructorParameters<typeof CallLogConsumer>[0]> = {}) => {
    const r = createRedis(testRedisUrl());
    clients.push(r);
    const c = new CallLogConsumer({
      redis: r,
      writer: new LegWriter(t.db),
      stream,
      deadLetter: `${stream}:dead`,
      group: 'recorder',
      consumer: name,
      batchSize: 200,
      batchWaitMs: 20,
      logger: createLogger('test', 'error'),
      ...extra,
    });
    consumers.push(c);
    void c.start();
    return c;
  };
  const legCount = async (ids: string[]) =>
    Number((await t.db.selectFrom('call_legs').select(sql<string>`count(*)`.as('n')).where('leg_id', 'in', ids).executeTakeFirst())!.n);

  it('merges a leg whose events arrive in any order and any batching, and rewrites idempotently', async () => {
    const stream = `${prefix}order`;
    const events = legEvents({ answerAfterMs: 1500, talkMs: 20_000, ivr: ['welcome', 'menu', 'sales'], pddMs: 700, mos: 4.2 });
    const legId = events[0]!.legId;
    const [created, answered, s0, s1, s2, hungup] = events;
    // Hang-up first, alone; then IVR progress backwards; then creation; then everything again.
    await add(stream, [hungup]);
    startConsumer(stream, 'order-1');
    await waitFor(() => legCount([legId]), { what: 'hang-up row' });
    await add(stream, [s2, s1]);
    await add(stream, [s0, created, answered]);
    await add(stream, events);
    await waitFor(async () => {
      const p = (await redis.xpending(stream, 'recorder')) as [number];
      return Number(p[0]) === 0 && (await redis.xlen(stream)) === 12;
    });
    await waitFor(async () => (await t.db.selectFrom('ivr_steps').select('seq').where('leg_id', '=', legId).execute()).length === 3);
    const row = await t.db.selectFrom('call_legs').selectAll().where('leg_id', '=', legId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      caller: '+441234567890',
      disposition: 'answered',
      talk_ms: 20_000,
      ring_ms: 1500,
      pdd_ms: 700,
      mos: '4.20',
      ivr_last_state: 'sales',
      ivr_last_step: 2,
      hangup_cause: 'NORMAL_CLEARING',
    });
    expect(row.answered_at?.toISOString()).toBe(answered!.at);
    expect(await legCount([legId])).toBe(1);
  });

  it('sends poison to the dead-letter stream with a reason and keeps going', async () => {
    const stream = `${prefix}poison`;
    const good = legEvents({ ringMs: 3000, hangupCause: 'USER_BUSY' });
    await redis.xadd(stream, '*', 'e', '{not json');
    await redis.xadd(stream, '*', 'e', JSON.stringify({ ...good[0], legId: 'nope' }));
    await redis.xadd(stream, '*', 'x', 'y');
    await add(stream, good);
    startConsumer(stream, 'poison-1');
    await waitFor(() => legCount([good[0]!.legId]));
    await waitFor(async () => (await redis.xlen(`${stream}:dead`)) === 3);
    const dead = await redis.xrange(`${stream}:dead`, '-', '+');
    const reasons = dead.map(([, f]) => f[f.indexOf('reason') + 1]);
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/legId/);
    expect(reasons[2]).toMatch(/no `e` field/);
    await waitFor(async () => Number(((await redis.xpending(stream, 'recorder')) as [number])[0]) === 0);
    const row = await t.db.selectFrom('call_legs').select('disposition').where('leg_id', '=', good[0]!.legId).executeTakeFirstOrThrow();
    expect(row.disposition).toBe('busy');
  });

  it('claims what a dead consumer left pending (XAUTOCLAIM)', async () => {
    const stream = `${prefix}claim`;
    const legs = Array.from({ length: 20 }, () => legEvents({ answerAfterMs: 10, talkMs: 100 }));
    await add(stream, legs.flat());
    await redis.xgroup('CREATE', stream, 'recorder', '0', 'MKSTREAM');
    // A consumer that reads and dies before acking.
    await redis.xreadgroup('GROUP', 'recorder', 'dead-one', 'COUNT', 1000, 'STREAMS', stream, '>');
    startConsumer(stream, 'alive-1', { claimIdleMs: 1_000 });
    await waitFor(async () => (await legCount(legs.map((l) => l[0]!.legId))) === 20, { timeoutMs: 15_000 });
    await waitFor(async () => Number(((await redis.xpending(stream, 'recorder')) as [number])[0]) === 0);
  });

  it('trims only acknowledged entries and reports lag', async () => {
    const stream = `${prefix}trim`;
    const events = Array.from({ length: 10 }, () => legEvents({ ringMs: 1 })).flat();
    await add(stream, events);
    await redis.xgroup('CREATE', stream, 'recorder', '0');
    const read = (await redis.xreadgroup('GROUP', 'recorder', 'c1', 'COUNT', 8, 'STREAMS', stream, '>')) as [string, [string][]][];
    const ids = read[0]![1].map((e) => e[0]);
    await redis.xack(stream, 'recorder', ...ids.slice(0, 5));
    const janitor = new StreamJanitor({ redis, stream });
    const report = await janitor.run();
    expect(report.pending).toBe(3);
    expect(report.lag).toBe(events.length - 8);
    expect(report.trimmedTo).toBe(ids[5]);
    // Only the five acknowledged entries went; pending and undelivered ones stay.
    expect(await redis.xlen(stream)).toBe(events.length - 5);
    expect((await redis.xrange(stream, '-', '+', 'COUNT', 1))[0]![0]).toBe(ids[5]);
  });

  it('closes legs that never hung up as lost, and a late hang-up still wins', async () => {
    const writer = new LegWriter(t.db);
    const start = new Date(Date.now() - 3 * 3600_000);
    const open = parsedLegEvents({ startedAt: start, answerAfterMs: 1000, talkMs: 60_000, noHangup: true, node: 'fs9' });
    const fresh = parsedLegEvents({ answerAfterMs: 1000, noHangup: true });
    await writer.write(foldEvents([...open, ...fresh]));
    // The leg's last news is as old as its start (the recorder stamps updated_at on each write).
    await sql`UPDATE call_legs SET updated_at = ${start} WHERE leg_id = ${open[0]!.legId}`.execute(t.db);
    const closed = await new LostLegReconciler({ db: t.db, lostAfterMs: 3600_000 }).run();
    expect(closed).toBe(1);
    const lost = await t.db.selectFrom('call_legs').selectAll().where('leg_id', '=', open[0]!.legId).executeTakeFirstOrThrow();
    expect(lost.disposition).toBe('lost');
    expect(lost.lost_reason).toMatch(/no hang-up within 3600 s.*node fs9/);
    const still = await t.db.selectFrom('call_legs').select('ended_at').where('leg_id', '=', fresh[0]!.legId).executeTakeFirstOrThrow();
    expect(still.ended_at).toBeNull();
    const late = parsedLegEvents({ legId: open[0]!.legId, startedAt: start, answerAfterMs: 1000, talkMs: 60_000 });
    await writer.write(foldEvents([late[late.length - 1]!]));
    const fixed = await t.db.selectFrom('call_legs').selectAll().where('leg_id', '=', open[0]!.legId).executeTakeFirstOrThrow();
    expect(fixed).toMatchObject({ disposition: 'answered', talk_ms: 60_000, lost_reason: null });
  });

  it('creates day partitions ahead and drops the ones past retention, with their IVR steps', async () => {
    const writer = new LegWriter(t.db);
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    await sql`SELECT switchyard_ensure_call_leg_partitions(12, 7)`.execute(t.db);
    const old = parsedLegEvents({ startedAt: daysAgo(10), answerAfterMs: 10, talkMs: 10, ivr: ['welcome'] });
    const older = parsedLegEvents({ startedAt: daysAgo(40), ringMs: 10 }); // default partition
    const recent = parsedLegEvents({ startedAt: daysAgo(2), answerAfterMs: 10, talkMs: 10, ivr: ['welcome'] });
    await writer.write(foldEvents([...old, ...older, ...recent]));
    const res = await new PartitionKeeper(t.db, { daysAhead: 7, retentionDays: 5 }).run();
    expect(res.dropped).toBeGreaterThanOrEqual(7);
    const left = await t.db.selectFrom('call_legs').select('leg_id').where('leg_id', 'in', [old, older, recent].map((l) => l[0]!.legId)).execute();
    expect(left.map((r) => r.leg_id)).toEqual([recent[0]!.legId]);
    const steps = await t.db.selectFrom('ivr_steps').select('leg_id').where('leg_id', 'in', [old[0]!.legId, recent[0]!.legId]).execute();
    expect(steps.map((r) => r.leg_id)).toEqual([recent[0]!.legId]);
    const ahead = await sql<{ n: string }>`
      SELECT count(*) AS n FROM pg_class WHERE relname = ${`call_legs_${new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')}`}`.execute(t.db);
    expect(ahead.rows[0]!.n).toBe('1');
  });

  it('keeps the KPI rollup in step with the legs the consumer commits', async () => {
    const stream = `${prefix}rollup`;
    const keeper = new KpiRollupKeeper({ db: t.db });
    await keeper.run(); // first run refreshes the recent window
    const base = new Date(Math.floor(Date.now() / 300_000) * 300_000 - 3_600_000);
    const legs = [
      ...Array.from({ length: 3 }, (_, i) => legEvents({ startedAt: new Date(base.getTime() + i * 1000), node: 'rk1', answerAfterMs: 1000, talkMs: 9000 })),
      legEvents({ startedAt: new Date(base.getTime() + 400_000), node: 'rk1', ringMs: 2000, hangupCause: 'USER_BUSY' }),
    ];
    await add(stream, legs.flat());
    startConsumer(stream, 'rollup-1', { onCommitted: (s) => keeper.mark(s) });
    await waitFor(async () => (await legCount(legs.map((l) => l[0]!.legId))) === 4);
    await waitFor(async () => Number(((await redis.xpending(stream, 'recorder')) as [number])[0]) === 0);
    expect(await keeper.run()).toBeGreaterThanOrEqual(2);
    const q = { from: base, to: new Date(base.getTime() + 600_000), interval: '5min', node: 'rk1' } as const;
    const rolled = await callKpis(t.db, { ...q, source: 'rollup' });
    expect(rolled.map((r) => [r.bucket.getTime() - base.getTime(), r.calls, r.answered, r.acd_s])).toEqual([
      [0, 3, 3, 9],
      [300_000, 1, 0, null],
    ]);
    const raw = await callKpis(t.db, { ...q, source: 'raw' });
    expect(raw.map((r) => [r.calls, r.answered, r.asr])).toEqual(rolled.map((r) => [r.calls, r.answered, r.asr]));
  });
});
