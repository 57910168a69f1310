/**
 * Call engine capacity: one engine process (main.ts, real Redis + Postgres) drives
 * fs-sim's load mode. Callers answer a one-key menu, press 1 and hold. Figures:
 * concurrent calls reached, setups/s while ramping, DTMF→next-command latency (seen on
 * the switch: DTMF event to the engine's next CHANNEL_EXECUTE), engine RSS per call.
 * The full run loads 20,000 calls for the capacity figures, then 10,000 (the goal's load)
 * for the DTMF figures and their peer; `--quick` does both at 2,000 in one run.
 * BENCH_CALLS / BENCH_DTMF_CALLS change those loads.
 *
 * DTMF latency is timed twice while the load's callers press their steady-state key:
 * - `engine_dtmf_*`: on a second, small simulated node (bench/lib/dtmf-probe.ts, its own
 *   process) whose PROBE_CALLS callers press a key every second. The load's simulator is a
 *   Node process with its own GC pauses (5–8 ms every ~150 ms at 10,000 calls), which a key
 *   timed there waits out as well; FreeSWITCH has none, so the probe is what times the engine.
 * - `engine_dtmf_loadsim_*`: the load's own keys, timed on the load's simulator (pauses included).
 * Peer: the same round trips through a bare ESL loop (no flow, no Redis) in its own process.
 *
 * The two simulators stand in for switches on other hosts, yet share this machine's cores
 * with the engine; they run with `--single-threaded-gc` (this process: see package.json) so
 * their collections do not put four helper threads each on the cores the engine needs.
 * Traced with `perf sched`: most of the slowest keys had the engine runnable but waiting while
 * the simulators' GC threads held both vCPUs (bench/README.md, "Engine").
 *
 *   npm run bench:engine [-- --quick]
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRedis, redisReady } from '@switchyard/core';
import { clearRedisPrefix, createTestDatabase, freeTcpPort, type ManagedProcess, sleep, startProcess, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { type FsSim, startFsSim } from '@switchyard/fs-sim';
import { ENGINE_NODE_FLAGS } from '../services/engine/src/node-flags.ts';
import { engineKeys } from '../services/engine/src/ownership/engine-keys.ts';
import { watchDtmf } from './lib/dtmf-watch.ts';
import { benchReport, percentile } from './lib/report.ts';

if (!process.execArgv.includes('--single-threaded-gc')) {
  console.warn('bench:engine: run through `npm run bench:engine` (node --single-threaded-gc): without it the load simulator\'s GC threads compete with the engine for the cores');
}
/** The probe node's V8 flags: its GC on its own thread, and a small young generation (short pauses, which a timed key would wait out). */
const PROBE_NODE_FLAGS = ['--single-threaded-gc', '--max-semi-space-size=1'];
const report = benchReport('engine');
const quick = report.quick;
/** Calls of the capacity run (concurrent calls, setups/s, CPU and RSS per call). */
const CALLS = Number(process.env.BENCH_CALLS ?? (quick ? 2_000 : 20_000));
/** Calls up while DTMF is timed: the goal's 10,000 (two vCPUs cannot also host a 20,000-call simulator without it stalling for 100s of ms). */
const DTMF_CALLS = Number(process.env.BENCH_DTMF_CALLS ?? Math.min(CALLS, 10_000));
const RATE = 1_000; // offered setups/s (the goal)
const PROBE_CALLS = 200;
const PROBE_DELAY_MS = 4_000;

/** One run's load: `calls` callers at RATE/s. */
interface Load {
  readonly calls: number;
  readonly rampS: number;
  /** Each caller presses 1 at once, 2 once every call is up (steady state: that press is timed), then holds. */
  readonly script: string;
  /** The probe's callers press a key every second from before the load starts; their keys are timed from when the load's timed keys start, for as long as those last (rampS). */
  readonly probeUpS: number;
}
function loadOf(calls: number): Load {
  const rampS = Math.ceil(calls / RATE);
  return { calls, rampS, script: `wait 400ms; press 1; wait ${rampS + 4}s; press 2; wait ${quick ? 6 : 10}s; hangup`, probeUpS: rampS * 4 + 30 };
}
/** utime + stime of `pid` in ms (CPU the process used, whatever else competes for the cores). */
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ 100)
};
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

/**
 * The bench's load on `sim`: `l.calls` callers at RATE/s following its script. Keys are timed once every
 * caller has answered; returns when 95 % of them are in or the run's time is up. `tick` runs
 * every 250 ms (the engine run samples its channel count there).
 */
async function runLoad(sim: FsSim, probe: Probe, l: Load, tick?: () => Promise<void>) {
  let rampDone = false;
  const w = watchDtmf(sim, () => rampDone);
  const load = sim.startLoad({ calls: l.calls, destination: '5000', script: l.script, ratePerSec: RATE });
  const rampStart = Date.now();
  const deadline = rampStart + l.rampS * 3000 + 20_000;
  let rampEnd = 0;
  while (Date.now() < deadline) {
    await sleep(250);
    await tick?.();
    if (!rampEnd && w.answers() >= l.calls) {
      rampEnd = Date.now();
      rampDone = true;
      setTimeout(() => probe.start(), PROBE_DELAY_MS);
    }
    if (w.latencies.length >= l.calls * 0.95 || (rampEnd && Date.now() - rampEnd > (l.rampS + 12) * 1000)) break;
  }
  return { w, load, rampStart, rampEnd };
}

/** The probe node's process (bench/lib/dtmf-probe.ts), driven from here. */
interface Probe {
  readonly port: number;
  /** Resolves once the engine (or the bare client) subscribed to it and its callers started. */
  connected(): Promise<void>;
  /** Starts timing its callers' keys (once the load's ramp is over). */
  start(): void;
  /** The probe's latencies (ms), once its callers are done; empty if it never started. */
  latencies(): Promise<number[]>;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Waits until `proc` printed `line`; throws with its output if it exits or `ms` pass first. */
async function printed(proc: ManagedProcess, line: string, ms: number, who: string): Promise<void> {
  const seen = () => proc.output().includes(line);
  await waitFor(() => seen() || proc.child.exitCode !== null, { timeoutMs: ms, what: `${who}: "${line}"` }).catch(() => {});
  if (!seen()) throw new Error(`${who}: no "${line}" within ${ms} ms:\n${proc.output()}`);
}

async function startProbe(mode: 'engine' | 'bare', l: Load): Promise<Probe> {
  const port = await freeTcpPort();
  const out = `/tmp/sy-bench-probe-${process.pid}-${mode}.json`;
  const script = fileURLToPath(new URL('./lib/dtmf-probe.ts', import.meta.url));
  const args = [String(port), mode, out, String(PROBE_CALLS), String(l.rampS), String(l.probeUpS)];
  const proc = startProcess(process.execPath, [...PROBE_NODE_FLAGS, '--import', 'tsx', script, ...args], { cwd: ROOT });
  let started = false;
  return {
    port,
    connected: () => printed(proc, 'probe connected', 30_000, 'dtmf probe'),
    start() {
      started = true;
      proc.child.kill('SIGUSR2');
    },
    async latencies() {
      if (!started) return [];
      await printed(proc, 'probe done', (l.rampS + 15) * 1000, 'dtmf probe');
      return JSON.parse(readFileSync(out, 'utf8')) as number[];
    },
    async stop() {
      await proc.stop(5_000);
      rmSync(out, { force: true });
    },
  };
}

async function setupDb(eslPort: number, probePort: number) {
  const tdb = await createTestDatabase();
  await tdb.db
    .insertInto('ivr_flows')
    .values([
      { id: 'bench', name: 'bench', source: 'code' },
      { id: 'probe', name: 'probe', source: 'code' },
    ])
    .execute();
  await tdb.db
    .insertInto('did_routes')
    .values([
      { did: '5000', flow_id: 'bench', flavour: 'inbound' },
      { did: '5001', flow_id: 'probe', flavour: 'inbound' },
    ])
    .execute();
  await tdb.db
    .insertInto('nodes')
    .values([
      { name: 'fs1', esl_host: '127.0.0.1', esl_port: eslPort, sip_uri: 'sip:fs1@127.0.0.1', state: 'active' },
      { name: 'probe', esl_host: '127.0.0.1', esl_port: probePort, sip_uri: 'sip:probe@127.0.0.1', state: 'active' },
    ])
    .execute();
  return tdb;
}

/** The DTMF figures of one run: the probe's (`name`) and the load simulator's own (`name_loadsim`). */
function dtmfFigures(peer: string, probe: number[], loadsim: number[], calls: number) {
  const suffix = peer ? `.${peer}` : '';
  report.figure(`engine_dtmf_p50_ms${suffix}`, percentile(probe, 50), 'ms', `DTMF event → next command on the switch: ${probe.length} keys of ${PROBE_CALLS} probe callers on their own node, while ${calls} calls are up on the load's`);
  report.figure(`engine_dtmf_p99_ms${suffix}`, percentile(probe, 99), 'ms', peer ? undefined : 'goal ≤ 5 ms at 10,000 calls');
  report.figure(`engine_dtmf_loadsim_p50_ms${suffix}`, percentile(loadsim, 50), 'ms', `the same, timed on the load's simulator (its GC pauses included): ${loadsim.length} keys`);
  report.figure(`engine_dtmf_loadsim_p99_ms${suffix}`, percentile(loadsim, 99), 'ms');
}

/** One engine run under `l`: the capacity figures, the DTMF figures, or both. */
async function engineRun(l: Load, figures: { capacity: boolean; dtmf: boolean }): Promise<void> {
  const sim = await startFsSim({
    sipPort: false,
    heartbeatMs: 1000,
    hostname: 'fs1',
    maxSessions: l.calls + 1000,
    files: { 'ivr/menu.wav': 300, 'ivr/hold.wav': 600_000 },
    strictFiles: true,
    dialplan: [{ pattern: '^5\\d+$', actions: [{ app: 'park', arg: '' }] }],
  });
  const probe = await startProbe('engine', l);
  const tdb = await setupDb(sim.eslPort, probe.port);
  const prefix = testRedisPrefix('bench-engine');
  const redis = createRedis(testRedisUrl());
  await redisReady(redis);
  const keys = engineKeys(prefix);
  // The engine's own flags as npm start and compose set them; ENGINE_NODE_ARGS come after (and win).
  const nodeArgs = [...ENGINE_NODE_FLAGS, ...(process.env.ENGINE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--max-old-space-size=4096'];
  const proc = startProcess(process.execPath, [...nodeArgs, '--import', 'tsx', 'services/engine/src/main.ts'], {
    cwd: ROOT,
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
      MAX_CALLS: String(l.calls + PROBE_CALLS + 1000),
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
    await probe.connected();
    await sleep(1500); // the probe's callers are in
    const baseRss = rssKb(proc.pid);
    const baseCpu = cpuMs(proc.pid);
    let peak = 0;
    const { w, load, rampStart, rampEnd } = await runLoad(sim, probe, l, async () => {
      peak = Math.max(peak, Number((await redis.get(keys.globalChannels())) ?? 0));
    });
    const probed = await probe.latencies();
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`engine exited (${proc.child.exitCode ?? proc.child.signalCode}):\n${proc.output().slice(-4000)}`);
    }
    const rss = rssKb(proc.pid);
    const cpu = cpuMs(proc.pid) - baseCpu;
    const rampS = ((rampEnd || Date.now()) - rampStart) / 1000;
    load.stop();
    // e.g. ENGINE_NODE_ARGS=--trace-gc BENCH_ENGINE_LOG=/tmp/engine.log: the engine's GC pauses.
    if (process.env.BENCH_ENGINE_LOG) writeFileSync(process.env.BENCH_ENGINE_LOG, proc.output());
    if (figures.capacity) {
      report.figure('engine_concurrent_calls', peak, 'calls', `goal 20,000; offered ${l.calls} at ${RATE}/s (and ${PROBE_CALLS} probe calls)`);
      report.figure('engine_setups_per_s', Math.round(w.answers() / rampS), 'calls/s', 'answered by the engine while ramping; goal 1,000');
      report.figure('engine_cpu_ms_per_call', Math.round((cpu / Math.max(1, w.answers())) * 100) / 100, 'ms', `engine CPU (user+sys) ${Math.round(cpu)} ms for ${w.answers()} calls: setup, menu, one timed key (and ${PROBE_CALLS} probe keys/s); load-independent`);
      report.figure('engine_rss_kb_per_call', Math.round(((rss - baseRss) / Math.max(1, peak)) * 10) / 10, 'kB', `engine RSS ${rss} kB at ${peak} calls, ${baseRss} kB idle`);
    }
    if (figures.dtmf) dtmfFigures('', probed, w.latencies, peak);
  } finally {
    await proc.stop(15_000);
    await probe.stop();
    await sim.close();
    await clearRedisPrefix(redis, prefix).catch(() => {}); // the call-log stream alone holds ~100 000 entries
    redis.disconnect();
    await tdb.drop();
  }
}

/**
 * Peer: DTMF → one command through a bare inbound ESL loop (no flow, no Redis, no XState) in
 * its own process (bench/lib/bare-esl-loop.ts), under the same load as the engine run: the
 * same callers arriving at the same rate, pressing the same keys at the same times, the same
 * probe node, and the same keys timed.
 */
async function bareRun(l: Load): Promise<void> {
  const sim = await startFsSim({
    sipPort: false,
    heartbeatMs: 1000,
    maxSessions: l.calls + 1000,
    files: { 'ivr/hold.wav': 600_000 },
    dialplan: [{ pattern: '^5\\d+$', actions: [{ app: 'answer', arg: '' }, { app: 'park', arg: '' }] }],
  });
  const probe = await startProbe('bare', l);
  const loop = startProcess(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/bare-esl-loop.ts', import.meta.url)), String(sim.eslPort), String(probe.port)], { cwd: ROOT });
  try {
    await printed(loop, 'bare connected', 30_000, 'bare ESL loop');
    await probe.connected();
    const { w, load } = await runLoad(sim, probe, l);
    const probed = await probe.latencies();
    load.stop();
    dtmfFigures('bare-esl', probed, w.latencies, w.answers());
  } finally {
    await loop.stop(5_000);
    await probe.stop();
    await sim.close();
  }
}

if (DTMF_CALLS === CALLS) await engineRun(loadOf(CALLS), { capacity: true, dtmf: true });
else {
  await engineRun(loadOf(CALLS), { capacity: true, dtmf: false });
  await engineRun(loadOf(DTMF_CALLS), { capacity: false, dtmf: true });
}
await bareRun(loadOf(DTMF_CALLS));
report.print();
process.exit(0);
