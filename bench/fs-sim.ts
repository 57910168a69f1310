/**
 * fs-sim capacity: how many concurrent channels one simulator process holds, and how many
 * events/s it delivers to an ESL consumer reading them (plain, and json as the peer).
 * The simulator runs as its own process (the CLI in load mode, with a 64 MB young generation:
 * --max-semi-space-size=64 roughly halves GC time at these allocation rates); this process only
 * reads. Load calls wait while the consumer lags, so the figure is what is delivered, not dropped.
 *
 *   npm run bench:fs-sim [-- --quick]
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freeTcpPort, startProcess } from '@switchyard/core/testing';
import { EslFrameParser } from '@switchyard/esl';
import { benchReport } from './lib/report.ts';

const report = benchReport('fs-sim');
const BIN = fileURLToPath(new URL('../services/fs-sim/bin/fs-sim.mjs', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A bare ESL consumer: auth, one command, counts event frames. */
async function consumer(port: number, subscribe: string): Promise<{ events(): number; api(cmd: string): Promise<string>; close(): void }> {
  const sock = connect({ host: '127.0.0.1', port });
  await new Promise<void>((r, j) => {
    sock.once('connect', () => r());
    sock.once('error', j);
  });
  const parser = new EslFrameParser();
  let events = 0;
  const replies: Array<(body: string) => void> = [];
  sock.on('data', (c) =>
    parser.push(c, (f) => {
      const ct = f.contentType;
      if (ct?.startsWith('text/event')) events++;
      else if (ct === 'api/response') replies.shift()?.(f.bodyText());
    }),
  );
  sock.write(`auth ClueCon\n\n${subscribe}\n\n`);
  return {
    events: () => events,
    api: (cmd) =>
      new Promise((r) => {
        replies.push(r);
        sock.write(`api ${cmd}\n\n`);
      }),
    close: () => sock.destroy(),
  };
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

async function startSim(args: string[]): Promise<{ port: number; pid: number; stop(): Promise<void> }> {
  const port = await freeTcpPort();
  const p = startProcess(process.execPath, ['--max-old-space-size=4096', '--max-semi-space-size=64', BIN, '--esl', `127.0.0.1:${port}`, '--no-sip', '--heartbeat', '0', '--max-sessions', '200000', ...args]);
  for (let i = 0; i < 100 && !p.output().includes('fs-sim: esl'); i++) await sleep(100);
  if (!p.output().includes('fs-sim: esl')) throw new Error(`fs-sim did not start: ${p.output()}`);
  return { port, pid: p.pid, stop: () => p.stop(2000) };
}

const sessions = (status: string): number => Number(/(\d+) session\(s\) - peak/.exec(status)?.[1] ?? 0);

/** Phase 1: hold N parked calls (answer + park, caller silent) and read the session count. */
async function channels(target: number): Promise<void> {
  const sim = await startSim(['--load', String(target), '--load-dest', '1000', '--load-script', 'wait 3600s']);
  const c = await consumer(sim.port, 'event plain HEARTBEAT');
  const baseKb = rssKb(sim.pid);
  let n = 0;
  for (let i = 0; i < 120; i++) {
    await sleep(250);
    n = sessions(await c.api('status'));
    if (n >= target) break;
  }
  const kb = rssKb(sim.pid);
  report.figure('fssim_channels', n, 'channels', `concurrent parked channels held (target ${target})`);
  report.figure('fssim_rss_per_channel', Math.round(((kb - baseKb) * 1024) / Math.max(1, n)), 'bytes', 'resident memory growth / channel');
  c.close();
  await sim.stop();
}

/** Phase 2: churning calls that press digits; a consumer subscribed to ALL counts delivered events. */
async function eventsPerSecond(format: 'plain' | 'json', seconds: number): Promise<number> {
  const script = 'wait 200ms; press 123456789; wait 200ms; press 987654321; wait 200ms; hangup';
  const sim = await startSim(['--load', process.env.FSSIM_BENCH_CALLS ?? '1500', '--load-dest', '1000', '--load-script', script]);
  const c = await consumer(sim.port, `event ${format} ALL`);
  await sleep(1000); // ramp up
  const e0 = c.events();
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const rate = Math.round(((c.events() - e0) * 1000) / (Date.now() - t0));
  c.close();
  await sim.stop();
  return rate;
}

const quick = report.quick;
if (!process.argv.includes('--events-only')) await channels(quick ? 20000 : 30000);
const plain = await eventsPerSecond('plain', quick ? 5 : 15);
const json = await eventsPerSecond('json', quick ? 5 : 15);
report.figure('fssim_events_per_s', plain, 'events/s', 'event plain ALL, consumer reading every frame');
report.figure('fssim_events_per_s.json', json, 'events/s', 'event json ALL');
report.print();
