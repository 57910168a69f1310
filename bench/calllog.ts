// Call-log bench: producer cost on the call path, recorder throughput into Postgres (with
// one-INSERT-per-leg as its peer), and a day's KPIs over a large call_legs table.
// Uses its own database (created and dropped here) and its own Redis key prefix.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type CallLogEventInput, CallLogProducer, callKpis, encodeCallLogEvent, foldEvents, type KpiQuery, parseCallLogEvent, refreshKpiRollup } from '@switchyard/calllog';
import { legEvents, parsedLegEvents } from '@switchyard/calllog/testing';
import { createDb, createRedis, type Database, type Kysely, type Redis, redisReady } from '@switchyard/core';
import { clearRedisPrefix, createTestDatabase, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { CallLogConsumer, LegWriter } from '@switchyard/recorder';
import { sql } from 'kysely';
import { benchReport, percentile } from './lib/report.ts';

const report = benchReport('calllog');
const Q = report.quick;
const tick = () => new Promise<void>((r) => setImmediate(r));

async function producerCost(redis: Redis, prefix: string, dir: string): Promise<void> {
  const stream = `${prefix}producer`;
  const producer = new CallLogProducer({ redis, stream, spoolDir: dir });
  await producer.start();
  const n = Q ? 60_000 : 300_000;
  // Events built beforehand: the figure is append()'s own cost (validate, serialise, buffer).
  const events: CallLogEventInput[] = [];
  while (events.length < n) events.push(...legEvents({ answerAfterMs: 1000, talkMs: 5000, ivr: ['welcome'] }));
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    producer.append(events[i]!);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    // A call path yields between events; this lets the background flush run as it would.
    if (i % 200 === 199) await tick();
  }
  await producer.close();
  const sorted = Array.from(samples.subarray(Math.floor(n / 10))); // skip JIT warm-up
  report.figure('calllog_producer_p99_us', percentile(sorted, 99), 'us', `over ${sorted.length} appends, Redis XADD in background`);
  report.figure('calllog_producer_p50_us', percentile(sorted, 50), 'us');

  await encodeCost(events);

  // Peer: awaiting one XADD per event on the call path.
  const m = Q ? 3_000 : 10_000;
  const direct: number[] = [];
  for (let i = 0; i < m; i++) {
    const t0 = process.hrtime.bigint();
    await redis.xadd(stream, '*', 'e', JSON.stringify(events[i]));
    direct.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  report.figure('calllog_producer_p99_us.awaited_xadd', percentile(direct, 99), 'us');
  await redis.del(stream);
}

/** Per-call percentiles (µs) of `f` over `events`, yielding every 200 calls as a call path would. */
async function perCallUs(events: readonly unknown[], f: (e: unknown) => unknown): Promise<number[]> {
  const samples = new Float64Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const t0 = process.hrtime.bigint();
    f(events[i]);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if (i % 200 === 199) await tick();
  }
  return Array.from(samples.subarray(Math.floor(events.length / 10))); // skip JIT warm-up
}

/** Validate + serialise alone: the fast check vs the zod schema, on ISO-string and on Date events (the engine's form). */
async function encodeCost(events: CallLogEventInput[]): Promise<void> {
  const dated = events.map((e) => {
    const d: Record<string, unknown> = { ...e };
    for (const k of ['startedAt', 'at', 'answeredAt']) if (typeof d[k] === 'string') d[k] = new Date(d[k] as string);
    return d;
  });
  const zod = (e: unknown) => {
    const r = parseCallLogEvent(e);
    return r.ok ? JSON.stringify(r.event) : null;
  };
  const fast = await perCallUs(events, encodeCallLogEvent);
  const slow = await perCallUs(events, zod);
  const fastD = await perCallUs(dated, encodeCallLogEvent);
  const slowD = await perCallUs(dated, zod);
  report.figure('calllog_encode_p50_us', percentile(fast, 50), 'us', 'encodeCallLogEvent (validate + serialise), ISO-string dates');
  report.figure('calllog_encode_p50_us.zod', percentile(slow, 50), 'us', 'parseCallLogEvent + JSON.stringify (the previous append path)');
  report.figure('calllog_encode_p99_us', percentile(fast, 99), 'us');
  report.figure('calllog_encode_p99_us.zod', percentile(slow, 99), 'us');
  report.figure('calllog_encode_dates_p50_us', percentile(fastD, 50), 'us', 'same with Date objects, as the engine passes them');
  report.figure('calllog_encode_dates_p50_us.zod', percentile(slowD, 50), 'us');
}

async function count(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM call_legs`.execute(db);
  return Number(r.rows[0]!.n);
}

async function recorderThroughput(db: Kysely<Database>, redis: Redis, prefix: string): Promise<void> {
  const stream = `${prefix}calllog`;
  const legs = Q ? 30_000 : 200_000;
  // Pre-fill the stream (not timed): created, answered, hung up per leg.
  for (let done = 0; done < legs; ) {
    const p = redis.pipeline();
    for (let i = 0; i < 2_000 && done < legs; i++, done++) {
      for (const e of legEvents({ answerAfterMs: 1500, talkMs: 30_000, pddMs: 800, mos: 4.1, node: `fs${done % 4}` })) {
        p.xadd(stream, '*', 'e', JSON.stringify(e));
      }
    }
    await p.exec();
  }
  // As the recorder runs by default (RECORDER_CONCURRENCY=2): two consumers of one group.
  const clients: Redis[] = [];
  let written = 0;
  const consumers: CallLogConsumer[] = [];
  for (let i = 0; i < 2; i++) {
    const consumerRedis = createRedis(testRedisUrl());
    await redisReady(consumerRedis); // no offline queue: commands fail until connected
    clients.push(consumerRedis);
    consumers.push(
      new CallLogConsumer({
        redis: consumerRedis,
        commandRedis: redis,
        writer: new LegWriter(db),
        stream,
        deadLetter: `${stream}:dead`,
        group: 'bench',
        consumer: `bench-${i}`,
        // Counted as batches commit (no polling queries competing with the writes).
        onCommitted: (started) => {
          written += started.length;
        },
      }),
    );
  }
  const t0 = performance.now();
  for (const c of consumers) await c.start();
  await waitFor(() => written >= legs, { timeoutMs: 600_000, intervalMs: 5 });
  const secs = (performance.now() - t0) / 1000;
  for (const c of consumers) await c.stop();
  for (const c of clients) c.disconnect();
  if ((await count(db)) !== legs) throw new Error('recorder bench: row count differs from legs produced');
  await redis.del(stream);
  report.figure('calllog_legs_per_s', legs / secs, 'legs/s', `${legs} legs (${legs * 3} stream entries) drained by one recorder (2 consumers)`);

  // Peer: one INSERT per leg, same rows, no batching.
  const writer = new LegWriter(db);
  const n = Q ? 1_000 : 10_000;
  const rows = foldEvents(Array.from({ length: n }, () => parsedLegEvents({ answerAfterMs: 1500, talkMs: 30_000 })).flat()).legs;
  const t1 = performance.now();
  for (const r of rows) await writer.writeOne(r);
  report.figure('calllog_legs_per_s.single_insert', n / ((performance.now() - t1) / 1000), 'legs/s');
}

// Secondary indexes the KPI query does not use: built once after the bulk load (a sort)
// rather than row by row, so the full 10,000,000-row load stays within minutes.
const LOAD_DEFERRED_INDEXES = {
  call_legs_caller: '(caller, started_at)',
  call_legs_callee: '(callee, started_at)',
  call_legs_node: '(node, started_at)',
  call_legs_disposition: '(disposition, started_at)',
  call_legs_trunk: '(trunk, started_at)',
  call_legs_hangup_cause: '(hangup_cause, started_at)',
} as const;

async function kpiDay(url: string): Promise<void> {
  const db = createDb(url, { statementTimeoutMs: 1_800_000, max: 2 });
  const rows = Q ? 200_000 : 10_000_000;
  const days = 30;
  await sql`SELECT switchyard_ensure_call_leg_partitions(${days + 1}, 1)`.execute(db);
  await sql`TRUNCATE call_legs`.execute(db);
  for (const name of Object.keys(LOAD_DEFERRED_INDEXES)) await sql`DROP INDEX ${sql.id(name)}`.execute(db);
  const dayStart = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000);
  const chunk = 500_000;
  const t0 = performance.now();
  for (let off = 0; off < rows; off += chunk) {
    // Synthetic legs spread evenly over `days` days back from yesterday: 4 nodes, 3 trunks,
    // ~55 % answered, the rest busy / no answer / abandoned / failed.
    await sql`
      INSERT INTO call_legs (leg_id, started_at, direction, caller, callee, node, trunk, answered_at, ended_at,
                             hangup_cause, sip_code, disposition, ring_ms, talk_ms, total_ms, pdd_ms, mos, packet_loss_pct)
      SELECT gen_random_uuid(), st, 'inbound', '+4411' || (g % 100000), '+4420' || (g % 1000), 'fs' || (g % 4), 't' || (g % 3),
             CASE WHEN d = 'answered' THEN st + interval '3 s' END, st + interval '60 s',
             CASE d WHEN 'answered' THEN 'NORMAL_CLEARING' WHEN 'busy' THEN 'USER_BUSY' WHEN 'no_answer' THEN 'NO_ANSWER'
                    WHEN 'abandoned' THEN 'ORIGINATOR_CANCEL' ELSE 'DESTINATION_OUT_OF_ORDER' END,
             NULL, d, 3000, CASE WHEN d = 'answered' THEN 57000 ELSE 0 END, 60000, 500 + g % 2000,
             CASE WHEN d = 'answered' THEN 3 + (g % 150) / 100.0 END, CASE WHEN d = 'answered' THEN (g % 50) / 10.0 END
      FROM (SELECT g, ${new Date(dayStart.getTime() + 86_400_000)}::timestamptz - (g % ${days}) * interval '1 day'
                      - ((g / ${days}) % 86400) * interval '1 s' AS st,
                   (ARRAY['answered','answered','answered','answered','answered','answered','busy','no_answer','no_answer','abandoned','failed'])[1 + g % 11] AS d
            FROM generate_series(${off}::bigint, ${Math.min(rows, off + chunk) - 1}::bigint) g) s`.execute(db);
    process.stderr.write(`# loaded ${Math.min(rows, off + chunk)} / ${rows} rows\n`);
  }
  await sql`SET maintenance_work_mem = '256MB'`.execute(db);
  for (const [name, cols] of Object.entries(LOAD_DEFERRED_INDEXES)) {
    await sql`CREATE INDEX ${sql.id(name)} ON call_legs ${sql.raw(cols)}`.execute(db);
  }
  await sql`VACUUM ANALYZE call_legs`.execute(db);
  const loadS = (performance.now() - t0) / 1000;
  // The recorder keeps the 5-minute rollup as it writes; rows loaded by SQL need one refresh.
  const t1 = performance.now();
  const first = Math.floor(dayStart.getTime() / 300_000) * 300_000 - days * 86_400_000;
  const buckets: number[] = [];
  for (let b = first; b < dayStart.getTime() + 2 * 86_400_000; b += 300_000) buckets.push(b);
  await refreshKpiRollup(db, buckets);
  const rollupS = (performance.now() - t1) / 1000;
  const from = dayStart;
  const to = new Date(dayStart.getTime() + 86_400_000);
  const runs = Q ? 15 : 30;
  const timeKpis = async (q: Omit<KpiQuery, 'from' | 'to'>) => {
    const samples: number[] = [];
    let calls = 0;
    for (let i = 0; i < runs + 3; i++) {
      const t = performance.now();
      const res = await callKpis(db, { from, to, ...q });
      if (i >= 3) samples.push(performance.now() - t);
      calls = res.reduce((a, r) => a + r.calls, 0);
    }
    return { p95: percentile(samples, 95), calls };
  };
  const rolled = await timeKpis({ interval: 'hour', by: 'node' });
  const raw = await timeKpis({ interval: 'hour', by: 'node', source: 'raw' });
  if (raw.calls !== rolled.calls) throw new Error(`rollup and scan disagree: ${rolled.calls} vs ${raw.calls} calls`);
  report.figure(
    'calllog_kpi_day_p95_ms',
    rolled.p95,
    'ms',
    `hourly KPIs by node for one day (${rolled.calls} legs) from the 5-minute rollup; call_legs holds ${rows} rows over ${days} day partitions (loaded in ${loadS.toFixed(0)} s, rollup refreshed in ${rollupS.toFixed(0)} s)${Q ? '; --quick uses 200,000 rows, the full run 10,000,000' : ''}`,
  );
  report.figure('calllog_kpi_day_p95_ms.raw_scan', raw.p95, 'ms', 'the same query scanning the day partition of call_legs');
  await db.destroy();
}

const t = await createTestDatabase();
const redis = createRedis(testRedisUrl());
const dir = await mkdtemp(path.join(os.tmpdir(), 'calllog-bench-'));
const prefix = testRedisPrefix('bench');
try {
  await redisReady(redis); // no offline queue: commands fail until connected
  await producerCost(redis, prefix, dir);
  await recorderThroughput(t.db, redis, prefix);
  await kpiDay(t.url);
} finally {
  await clearRedisPrefix(redis, prefix);
  redis.disconnect();
  await t.drop();
  await rm(dir, { recursive: true, force: true });
}
report.print();
