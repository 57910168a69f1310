/**
 * Edge throughput: calls per second through our kamailio.cfg (allow-list, Pike, record-route,
 * stateful dispatch with failover) against the bare stateless relay, same machine, same
 * SIPp UAC and two SIPp UAS nodes, same run. A step passes when < 1 % of its calls fail;
 * the figure is the best passing step's achieved rate.
 *
 *   npm run bench:edge [-- --quick]
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, freeTcpPort, freeUdpPort } from '@switchyard/core/testing';
import {
  AllowList,
  asFleetDb,
  FleetManager,
  KAMAILIO_BARE_RELAY_CFG,
  KamailioProcess,
  type KamailioRunOptions,
} from '@switchyard/fleet';
import { runUac, type SippUas, scenario, startUas, tmpDir } from '../services/fleet/test/helpers/sipp.ts';
import { benchReport } from './lib/report.ts';

const report = benchReport('edge');
const STEP_SECS = report.quick ? 3 : 8;
const RATES = report.quick ? [400, 800, 1400, 2000, 2800] : [400, 800, 1200, 1600, 2000, 2500, 3000, 3500, 4000];
const SHM = { shmMb: 1024, shmAllocator: 'tlsf' as const, children: 4 };

interface StepResult {
  rate: number;
  cps: number;
  failPct: number;
}

/** Runs the rate ladder against one edge; stops at the first step with >= 1 % failures. */
async function ladder(dir: string, sipPort: number, label: string): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const rate of RATES) {
    const calls = rate * STEP_SECS;
    const t0 = performance.now();
    const r = await runUac(dir, {
      target: `127.0.0.1:${sipPort}`,
      calls,
      rate,
      timeoutSecs: STEP_SECS + 10,
      extra: ['-recv_timeout', '3000', '-l', String(rate * 4)],
    });
    const secs = (performance.now() - t0) / 1000;
    const failPct = (100 * (calls - r.successful)) / calls;
    const step = { rate, cps: r.successful / secs, failPct };
    out.push(step);
    console.log(`# ${label}: offered ${rate}/s → ${step.cps.toFixed(0)} calls/s, ${failPct.toFixed(2)} % failed`);
    if (failPct >= 1) break;
  }
  return out;
}

const best = (steps: StepResult[]) => Math.max(0, ...steps.filter((s) => s.failPct < 1).map((s) => s.cps));

async function ours(dir: string, nodes: SippUas[]): Promise<StepResult[]> {
  const t = await createTestDatabase();
  const k = await KamailioProcess.start({
    sipPort: await freeUdpPort(),
    rpcPort: await freeTcpPort(),
    dbUrl: t.url,
    ...SHM,
    // Pike is for untrusted sources; the bench caller is allow-listed. Fast probing so
    // the nodes are active within a second.
    defines: { DS_PING_INTERVAL: 1, DS_PROBING_THRESHOLD: 2, RELOAD_DELTA: 1 },
  });
  const esl = { isEslUp: () => true };
  const fleet = new FleetManager({ db: asFleetDb(t.db), rpc: k.rpc, esl, calls: { inFlightCalls: () => 0 } });
  try {
    await new AllowList(asFleetDb(t.db), k.rpc).add({ source: '127.0.0.1', group: 1, tag: 'bench' });
    await fleet.setSetAlgorithm(1, 'round-robin');
    for (const [i, n] of nodes.entries()) {
      await fleet.addNode({ name: `bench${i}`, eslHost: '127.0.0.1', eslPort: 8021, sipUri: n.uri });
    }
    const deadline = Date.now() + 15_000;
    while ((await fleet.list()).some((n) => n.state !== 'active')) {
      if (Date.now() > deadline) throw new Error('bench nodes did not become active');
      await fleet.tick();
      await new Promise((r) => setTimeout(r, 300));
    }
    return await ladder(dir, k.settings.sipPort, 'kamailio.cfg');
  } finally {
    await fleet.stop();
    await k.stop();
    await t.drop();
  }
}

async function bare(dir: string, nodes: SippUas[]): Promise<StepResult[]> {
  const list = path.join(dir, 'dispatcher.list');
  await fs.writeFile(list, nodes.map((n) => `1 ${n.uri}`).join('\n') + '\n');
  const opts: KamailioRunOptions = {
    cfgPath: KAMAILIO_BARE_RELAY_CFG,
    sipPort: await freeUdpPort(),
    rpcPort: await freeTcpPort(),
    ...SHM,
    defines: { DS_LIST: list },
  };
  const k = await KamailioProcess.start(opts);
  try {
    return await ladder(dir, k.settings.sipPort, 'bare relay');
  } finally {
    await k.stop();
  }
}

async function main(): Promise<void> {
  const dir = await tmpDir('bench-edge');
  const uasOpts = { trace: false, scenarioFile: scenario('uas-answer.xml') };
  const nodes = [await startUas(dir, 'uas1', uasOpts), await startUas(dir, 'uas2', uasOpts)];
  try {
    const oursSteps = await ours(dir, nodes);
    const bareSteps = await bare(dir, nodes);
    const a = best(oursSteps);
    const b = best(bareSteps);
    const ceiling = RATES[RATES.length - 1]!;
    const capped = [oursSteps, bareSteps].some((s) => s.length === RATES.length && s.at(-1)!.failPct < 1);
    report.figure(
      'edge_cps',
      Math.round(a),
      'calls/s',
      `ours / bare = ${b > 0 ? ((100 * a) / b).toFixed(0) : '?'} % (goal ≥ 70 %); ${STEP_SECS} s steps, < 1 % failed` +
        (capped ? `; the ladder's top (${ceiling}/s) was reached, so a figure is a floor` : ''),
    );
    report.figure('edge_cps.bare_relay', Math.round(b), 'calls/s');
  } finally {
    for (const n of nodes) await n.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
  report.print();
}

await main();
