// Dialer throughput: how many originates per second one dialer sustains against fs-sim over
// inbound ESL with every guard on (SKIP LOCKED claim + attempt row before originate, DNC at
// dial time, prefix guard, calling window in the contact's zone, pacing, tracking to outcome,
// every attempt in the call log through the producer to Redis, flushed before each close).
// Peer: raw `bgapi originate` over the same ESL client with no database and no guards.
//   npm run bench:dialer [-- --quick]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallLogProducer } from '@switchyard/calllog';
import { createLogger, createRedis, redisKeys } from '@switchyard/core';
import { clearRedisPrefix, createTestDatabase, testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import { EslInboundClient } from '@switchyard/esl';
import { startFsSim } from '@switchyard/fs-sim';
import { asDialerDb, CampaignService, callLogAttemptLog, DialerRunner, EslSwitch, pgNodeSource } from '@switchyard/dialer';
import { benchReport } from './lib/report.ts';

const report = benchReport('dialer');
const N = report.quick ? 3000 : 15000;
const logger = createLogger('bench-dialer', 'silent');

const t = await createTestDatabase();
const sim = await startFsSim({ heartbeatMs: 0, sipPort: false, maxSessions: 5000 });
const redis = createRedis(testRedisUrl());
const prefix = testRedisPrefix('bench-dialer');
const stream = redisKeys(prefix).callLogStream();
const spoolDir = mkdtempSync(path.join(tmpdir(), 'sy-bench-dialer-'));
try {
  await t.db.insertInto('nodes').values({ name: 'fs0', esl_host: '127.0.0.1', esl_port: sim.eslPort, sip_uri: 'sip:127.0.0.1:5060', state: 'active' }).execute();
  await t.db.insertInto('ivr_flows').values({ id: 'bench', name: 'bench' }).execute();
  const db = asDialerDb(t.db);
  const svc = new CampaignService(db);
  const c = await svc.create(
    {
      name: 'bench',
      flowId: 'bench',
      callerId: '+442071234567',
      gateway: 'gw1',
      allowedPrefixes: ['+447911'],
      windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }],
      maxCps: 2000,
      maxConcurrent: 800,
      maxAttempts: 1,
    },
    'bench',
  );
  const phones = Array.from({ length: N }, (_, i) => `+447911${String(i).padStart(6, '0')}`);
  for (let i = 0; i < N; i += 2000) {
    await t.db
      .insertInto('contacts')
      .values(phones.slice(i, i + 2000).map((p) => ({ campaign_id: c.id, phone_e164: p, data: '{}', timezone: i % 4000 ? 'Europe/London' : null })))
      .execute();
  }
  // 1 % of the contacts and 20,000 other numbers on the DNC lists.
  const dnc = [...phones.filter((_, i) => i % 100 === 7), ...Array.from({ length: 20000 }, (_, i) => `+447400${String(i).padStart(6, '0')}`)];
  for (let i = 0; i < dnc.length; i += 5000) {
    await t.db.insertInto('dnc').values(dnc.slice(i, i + 5000).map((p) => ({ phone_e164: p, campaign_id: null }))).execute();
  }

  // --- the dialer, every guard on ---
  const sw = new EslSwitch({ password: sim.password, logger });
  const nodes = pgNodeSource(db, sw);
  await nodes.activeNodes();
  while (sw.ready().length === 0) await new Promise((r) => setTimeout(r, 20));
  const callLog = new CallLogProducer({ redis, stream, spoolDir });
  await callLog.start();
  const attemptLog = callLogAttemptLog(callLog);
  const runner = new DialerRunner({ dialerId: 'bench', db, switch: sw, nodes, logger, attemptLog, dialString: () => 'sim/answer/0', originateApp: '&hangup()', maxBatch: 200 });
  await svc.start(c.id, 'bench');
  const t0 = Date.now();
  await runner.start();
  while ((await svc.get(c.id)).state !== 'completed' && Date.now() - t0 < 55_000) await new Promise((r) => setTimeout(r, 100));
  await runner.stop();
  await sw.close();
  await callLog.close();
  const span = await t.db
    .selectFrom('attempts')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('started_at').as('first'), eb.fn.max('started_at').as('last')])
    .where('campaign_id', '=', c.id)
    .executeTakeFirstOrThrow();
  const n = Number(span.n);
  const secs = (new Date(span.last as Date).getTime() - new Date(span.first as Date).getTime()) / 1000;
  const counts = await svc.counts(c.id);
  report.figure('dialer_originates_per_s', n / secs, 'originates/s', `${n} originates in ${secs.toFixed(2)} s; ${counts.answered} answered, ${counts.dncSkipped} DNC-skipped (goal >= 200)`);

  // --- peer: raw bgapi originate, same node, same concurrency window, no database, no guards ---
  const raw = new EslInboundClient({ host: '127.0.0.1', port: sim.eslPort, password: sim.password, events: { format: 'plain', names: ['BACKGROUND_JOB'] } });
  await raw.connect();
  const M = report.quick ? 3000 : 15000;
  let sent = 0;
  const r0 = Date.now();
  const worker = async () => {
    while (sent < M) {
      sent++;
      await raw.bgapi(`originate {origination_uuid=${randomUUID()}}sim/answer/0 &hangup()`);
    }
  };
  await Promise.all(Array.from({ length: 200 }, worker));
  const rawSecs = (Date.now() - r0) / 1000;
  await raw.close();
  report.figure('dialer_originates_per_s.raw_bgapi', M / rawSecs, 'originates/s', `${M} originates in ${rawSecs.toFixed(2)} s, no guards`);
} finally {
  await sim.close();
  await t.drop();
  await clearRedisPrefix(redis, prefix).catch(() => {});
  redis.disconnect();
  rmSync(spoolDir, { recursive: true, force: true });
}
report.print();
process.exit(0);
