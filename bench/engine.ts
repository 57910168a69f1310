/**
 * Call engine capacity: one engine process (main.ts, real Redis + Postgres) drives
 * fs-sim's load mode. Callers answer a one-key menu, press 1 and hold. Figures:
 * concurrent calls reached, setups/s while ramping, DTMF→next-command latency (seen on
 * the switch: DTMF event to the engine's next CHANNEL_EXECUTE), engine RSS per call.
 * Peer: the same DTMF round trip through a bare ESL loop (no flow, no Redis) in this process.
 *
 *   npm run bench:engine [-- --quick]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRedis, redisReady } from '@switchyard/core';
import { clearRedisPrefix, createTestDatabase, freeTcpPort, startProcess, testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import { EslInboundClient, encodeExecute } from '@switchyard/esl';
import { type FsSim, startFsSim } from '@switchyard/fs-sim';
import { engineKeys } from '../services/engine/src/ownership/engine-keys.ts';
import { benchReport, percentile } from './lib/report.ts';

const report = benchReport('engine');
const quick = report.quick;
const CALLS = Number(process.env.BENCH_CALLS ?? (quick ? 2_000 : 20_000));
const RATE = 1_000; // offered setups/s (the goal)
const RAMP_S = Math.ceil(CALLS / RATE);
// Each caller presses 1 at once, 2 once every call is up (steady state: that press is timed), then holds.
const SCRIPT = `wait 400ms; press 1; wait ${RAMP_S + 4}s; press 2; wait ${quick ? 6 : 10}s; hangup`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** utime + stime of `pid` in ms (CPU the process used, whatever else competes for the cores). */
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ 100)
};
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/** Watches the switch's bus: answers, and DTMF → first CHANNEL_EXECUTE per channel. */
function watch(sim: FsSim, sampleFrom: () => boolean) {
  const pending = new Map<string, number>(); // bounded by live channels; deleted on first execute
  const lat: number[] = [];
  let answers = 0;
  sim.core.bus.add({
    wants: (name) => name === 'DTMF' || name === 'CHANNEL_ANSWER' || (name === 'CHANNEL_EXECUTE' && pending.size > 0),
    deliver(ev) {
      const id = ev.channelUuid ?? '';
      if (ev.name === 'CHANNEL_ANSWER') answers++;
      else if (ev.name === 'DTMF') {
        if (sampleFrom()) pending.set(id, performance.now());
      } else {
        const t = pending.get(id);
        if (t !== undefined) {
          pending.delete(id);
          lat.push(performance.now() - t);
        }
      }
    },
  });
  return { answers: () => answers, latencies: lat };
}

/**
 * The bench's load on `sim`: CALLS callers at RATE/s following SCRIPT. Keys are timed once every
 * caller has answered; returns when 95 % of them are in or the run's time is up. `tick` runs
 * every 250 ms (the engine run samples its channel count there).
 */
async function runLoad(sim: FsSim, tick?: () => Promise<void>) {
  let rampDone = false;
  const w = watch(sim, () => rampDone);
  const load = sim.startLoad({ calls: CALLS, destination: '5000', script: SCRIPT, ratePerSec: RATE });
  const rampStart = Date.now();
  const deadline = rampStart + RAMP_S * 3000 + 20_000;
  let rampEnd = 0;
  while (Date.now() < deadline) {
    await sleep(250);
    await tick?.();
    if (!rampEnd && w.answers() >= CALLS) {
      rampEnd = Date.now();
      rampDone = true;
    }
    if (w.latencies.length >= CALLS * 0.95 || (rampEnd && Date.now() - rampEnd > (RAMP_S + 12) * 1000)) break;
  }
  return { w, load, rampStart, rampEnd };
}

async function setupDb(eslPort: number) {
  const tdb = await createTestDatabase();
  await tdb.db.insertInto('ivr_flows').values({ id: 'bench', name: 'bench', source: 'code' }).execute();
  await tdb.db.insertInto('did_routes').values({ did: '5000', flow_id: 'bench', flavour: 'inbound' }).execute();
  await tdb.db
    .insertInto('nodes')
    .values({ name: 'fs1', esl_host: '127.0.0.1', esl_port: eslPort, sip_uri: 'sip:fs1@127.0.0.1', state: 'active' })
    .execute();
  return tdb;
}

async function engineRun(): Promise<void> {
  const sim = await startFsSim({
    sipPort: false,
    heartbeatMs: 1000,
    hostname: 'fs1',
    maxSessions: CALLS + 1000,
    files: { 'ivr/menu.wav': 300, 'ivr/hold.wav': 600_000 },
    strictFiles: true,
    dialplan: [{ pattern: '^5\\d+$', actions: [{ app: 'park', arg: '' }] }],
  });
  const tdb = await setupDb(sim.eslPort);
  const prefix = testRedisPrefix('bench-engine');
  const redis = createRedis(testRedisUrl());
  await redisReady(redis);
  const keys = engineKeys(prefix);
  const proc = startProcess(process.execPath, [...(process.env.ENGINE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--max-old-space-size=4096', '--import', 'tsx', 'services/engine/src/main.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      ...process.env,
      DATABASE_URL: tdb.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      ENGINE_ID: 'bench-engine',
      ENGINE_HTTP_PORT: String(await freeTcpPort()),
      ENGINE_OUTBOUND_PORT: '0',
      ENGINE_CODE_FLOWS: fileURLToPath(new URL('../services/engine/test/helpers/bench-flows.ts', import.meta.url)),
      LOG_LEVEL: 'error',
      SWITCHYARD_DEV: '1',
      DRAIN_SECS: '0',
      MAX_CALLS: String(CALLS + 1000),
      ESL_COMMAND_TIMEOUT_MS: '20000',
      SWITCHYARD_DATA_DIR: `/tmp/sy-bench-engine-${process.pid}`,
    },
  });
  try {
    const t0 = Date.now();
    while (sim.core.bus.wants('CHANNEL_PARK', 'x') === false) {
      if (Date.now() - t0 > 30_000) throw new Error(`engine did not connect:\n${proc.output()}`);
      await sleep(100);
    }
    await sleep(500);
    const baseRss = rssKb(proc.pid);
    const baseCpu = cpuMs(proc.pid);
    let peak = 0;
    const { w, load, rampStart, rampEnd } = await runLoad(sim, async () => {
      peak = Math.max(peak, Number((await redis.get(keys.globalChannels())) ?? 0));
    });
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`engine exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output().slice(-4000)}`);
    }
    const rss = rssKb(proc.pid);
    const cpu = cpuMs(proc.pid) - baseCpu;
    const rampS = ((rampEnd || Date.now()) - rampStart) / 1000;
    load.stop();
    // e.g. ENGINE_NODE_ARGS=--trace-gc BENCH_ENGINE_LOG=/tmp/engine.log: the engine's GC pauses.
    if (process.env.BENCH_ENGINE_LOG) writeFileSync(process.env.BENCH_ENGINE_LOG, proc.output());
    report.figure('engine_concurrent_calls', peak, 'calls', `goal 20,000; offered ${CALLS} at ${RATE}/s`);
    report.figure('engine_setups_per_s', Math.round(w.answers() / rampS), 'calls/s', 'answered by the engine while ramping; goal 1,000');
    report.figure('engine_dtmf_p50_ms', percentile(w.latencies, 50), 'ms', `DTMF event → next command on the switch, ${w.latencies.length} samples with ${peak} calls up`);
    report.figure('engine_dtmf_p99_ms', percentile(w.latencies, 99), 'ms', 'goal ≤ 5 ms at 10,000 calls');
    report.figure('engine_cpu_ms_per_call', Math.round((cpu / Math.max(1, w.answers())) * 100) / 100, 'ms', `engine CPU (user+sys) ${Math.round(cpu)} ms for ${w.answers()} calls: setup, menu, one timed key; load-independent`);
    report.figure('engine_rss_kb_per_call', Math.round(((rss - baseRss) / Math.max(1, peak)) * 10) / 10, 'kB', `engine RSS ${rss} kB at ${peak} calls, ${baseRss} kB idle`);
  } finally {
    await proc.stop(15_000);
    await sim.close();
    await clearRedisPrefix(redis, prefix).catch(() => {}); // the call-log stream alone holds ~100 000 entries
    redis.disconnect();
    await tdb.drop();
  }
}

/**
 * Peer: DTMF → one command through a bare inbound ESL loop (no flow, no Redis, no XState),
 * under the same load as the engine run: the same number of callers arriving at the same rate,
 * pressing the same keys at the same times, and the same steady-state key timed.
 */
async function bareRun(): Promise<void> {
  const sim = await startFsSim({
    sipPort: false,
    heartbeatMs: 1000,
    maxSessions: CALLS + 1000,
    files: { 'ivr/hold.wav': 600_000 },
    dialplan: [{ pattern: '^5\\d+$', actions: [{ app: 'answer', arg: '' }, { app: 'park', arg: '' }] }],
  });
  const client = new EslInboundClient({ host: '127.0.0.1', port: sim.eslPort, password: 'ClueCon', events: { format: 'json', names: ['DTMF'] }, maxInFlight: 10_000 });
  await client.connect();
  client.on('event', (e) => {
    const uuid = e.uniqueId;
    if (uuid) void client.commandEncoded(encodeExecute({ uuid, app: 'playback', arg: 'ivr/hold.wav', eventLock: false })).catch(() => {});
  });
  const { w, load } = await runLoad(sim);
  load.stop();
  report.figure('engine_dtmf_p50_ms.bare-esl', percentile(w.latencies, 50), 'ms', `${w.latencies.length} samples at ${w.answers()} calls, same load and timed key as the engine run`);
  report.figure('engine_dtmf_p99_ms.bare-esl', percentile(w.latencies, 99), 'ms');
  await client.close();
  await sim.close();
}

await engineRun();
await bareRun();
report.print();
process.exit(0);
