/**
 * ESL bench: event throughput of our client (event json, lazy field access — the engine's format)
 * against esl-lite, modesl and a raw socket read, all fed by the same child process streaming
 * realistic CHANNEL_EXECUTE_COMPLETE events over loopback; plus `api status` latency with one
 * command in flight, ours vs modesl.
 *
 * npm run bench:esl [-- --quick]
 */

import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EslFrameParser, EslInboundClient, type EslEventFormat } from '@switchyard/esl';
import { startProcess } from '@switchyard/core/testing';
import { FreeSwitchClient } from 'esl-lite';
import esl from 'modesl';
import { pino } from 'pino';
import { benchReport, percentile } from './lib/report.ts';

const report = benchReport('esl');
const quick = report.quick;
const EVENTS = quick ? 30_000 : 200_000;
const RUNS = quick ? 1 : 3;
const PEER_LIMIT_S = quick ? 8 : 40;
const API_CALLS = quick ? 2_000 : 20_000;
const MODESL_API_CALLS = quick ? 40 : 200; // ~44 ms each (Nagle + delayed ACK)

interface Streamer {
  port: number;
  plainBytes: number;
  stop(): Promise<void>;
}

async function startStreamer(count: number): Promise<Streamer> {
  const file = fileURLToPath(new URL('./lib/esl-streamer.ts', import.meta.url));
  const p = startProcess(process.execPath, ['--import', 'tsx', file, String(count)]);
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    p.child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    void p.exited.then(() => reject(new Error(`streamer exited: ${p.output()}`)));
  });
  const info = JSON.parse(line) as { port: number; plainBytes: number };
  return { ...info, stop: () => p.stop() };
}

/** Outcome of one throughput run: events/s, and whether all events arrived within the limit. */
interface Rate {
  perS: number;
  /** Events per CPU-second of this (consumer) process: steadier than wall time on a busy host. */
  perCpuS: number;
  complete: boolean;
}

/** Run `start(onEvent)` until `n` events or the time limit. `start` returns a stop function. */
async function measure(n: number, start: (onEvent: () => void) => Promise<() => void> | (() => void)): Promise<Rate> {
  let got = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const stop = await start(() => {
    if (++got === n) finish();
  });
  const limit = setTimeout(finish, PEER_LIMIT_S * 1000);
  await done;
  clearTimeout(limit);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stop();
  return { perS: got / secs, perCpuS: got / ((cpu.user + cpu.system) / 1e6), complete: got >= n };
}

const ours = (port: number, format: EslEventFormat) => (onEvent: () => void) => {
  const c = new EslInboundClient({ host: '127.0.0.1', port, password: 'ClueCon', events: { format, names: ['CHANNEL_EXECUTE_COMPLETE'] } });
  c.on('event', (e) => {
    // What the engine reads per event: the name and the two correlation ids.
    if (e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.uniqueId && e.applicationUuid) onEvent();
  });
  void c.connect();
  return () => void c.close(50);
};

const raw = (port: number, bytesPerEvent: number) => (onEvent: () => void) => {
  const s = connect({ host: '127.0.0.1', port, noDelay: true });
  s.write('auth ClueCon\n\nevent plain CHANNEL_EXECUTE_COMPLETE\n\n');
  let bytes = 0;
  s.on('data', (b: Buffer) => {
    bytes += b.length;
    while (bytes >= bytesPerEvent) {
      bytes -= bytesPerEvent;
      onEvent();
    }
  });
  s.on('error', () => {});
  return () => s.destroy();
};

const silent = pino({ level: 'silent' });
const eslLite = (port: number) => (onEvent: () => void) => {
  const c = new FreeSwitchClient({ host: '127.0.0.1', port, password: 'ClueCon', logger: silent });
  c.on('CHANNEL_EXECUTE_COMPLETE', (msg) => {
    if (msg.body.uniqueID && msg.body.data['Application-UUID']) onEvent();
  });
  return () => c.end();
};

interface ModeslEvent {
  getHeader(name: string): string | undefined;
  getBody(): string;
}
interface ModeslConnection {
  on(ev: string, fn: (e: ModeslEvent) => void): void;
  events(type: string, events: string, cb?: () => void): void;
  api(cmd: string, cb: (e: ModeslEvent) => void): void;
  disconnect(): void;
}
const ModeslConn = (esl as unknown as { Connection: new (h: string, p: number, pw: string, ready: () => void) => ModeslConnection }).Connection;

const modesl = (port: number) => (onEvent: () => void) => {
  const c: ModeslConnection = new ModeslConn('127.0.0.1', port, 'ClueCon', () => c.events('plain', 'CHANNEL_EXECUTE_COMPLETE'));
  c.on('esl::event::CHANNEL_EXECUTE_COMPLETE::*', (e) => {
    if (e.getHeader('Unique-ID') && e.getHeader('Application-UUID')) onEvent();
  });
  c.on('error', () => {});
  return () => c.disconnect();
};

function median(xs: number[]): number {
  return percentile(xs, 50);
}

async function throughput(name: string, runs: number, n: number, start: (port: number, s: Streamer) => (onEvent: () => void) => Promise<() => void> | (() => void)): Promise<{ perS: number; perCpuS: number; note?: string }> {
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let incomplete = 0;
  for (let i = 0; i < runs; i++) {
    const s = await startStreamer(n);
    try {
      const r = await measure(n, start(s.port, s));
      rates.push(r.perS);
      cpuRates.push(r.perCpuS);
      if (!r.complete) incomplete++;
    } finally {
      await s.stop();
    }
  }
  const note = incomplete ? `${name}: ${incomplete}/${runs} runs did not receive all ${n} events within ${PEER_LIMIT_S} s` : undefined;
  return { perS: median(rates), perCpuS: median(cpuRates), note };
}

async function apiLatency(port: number, calls: number, one: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < Math.min(500, calls); i++) await one(); // warm-up (JIT)
  const us: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    await one();
    us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  void port;
  return us;
}

/**
 * Peer for api latency: a bare socket and our frame parser, no connection machinery (reply
 * queue, timers, promises, write batching) — the floor the loopback, the peer process and
 * this host's scheduler set.
 */
async function bareApi(port: number): Promise<{ one: () => Promise<void>; close: () => void }> {
  const s = connect({ host: '127.0.0.1', port, noDelay: true });
  const parser = new EslFrameParser();
  let waiting: (() => void) | null = null;
  s.on('data', (c: Buffer) => parser.push(c, () => waiting?.()));
  const next = () => new Promise<void>((r) => (waiting = r));
  await next(); // auth/request
  s.write('auth ClueCon\n\n');
  await next();
  return {
    one: () => {
      const p = next();
      s.write('api status\n\n');
      return p;
    },
    close: () => s.destroy(),
  };
}

async function main(): Promise<void> {
  const probe = await startStreamer(1);
  const bytesPerEvent = probe.plainBytes;
  await probe.stop();
  const r = {
    raw: await throughput('raw', RUNS, EVENTS, (p) => raw(p, bytesPerEvent)),
    ours: await throughput('ours', RUNS, EVENTS, (p) => ours(p, 'json')),
    oursPlain: await throughput('ours-plain', RUNS, EVENTS, (p) => ours(p, 'plain')),
    lite: await throughput('esl-lite', RUNS, EVENTS, (p) => eslLite(p)),
    modesl: await throughput('modesl', RUNS, EVENTS, (p) => modesl(p)),
  };

  const s = await startStreamer(0);
  let oursApi: number[];
  let modeslApi: number[];
  let bareApiUs: number[];
  try {
    const c = new EslInboundClient({ host: '127.0.0.1', port: s.port, password: 'ClueCon' });
    await c.connect();
    oursApi = await apiLatency(s.port, API_CALLS, async () => {
      await c.api('status');
    });
    await c.close(100);
    const bare = await bareApi(s.port);
    bareApiUs = await apiLatency(s.port, API_CALLS, bare.one);
    bare.close();
    const m = await new Promise<ModeslConnection>((resolve) => {
      const conn: ModeslConnection = new ModeslConn('127.0.0.1', s.port, 'ClueCon', () => resolve(conn));
      conn.on('error', () => {}); // modesl throws unhandled socket errors otherwise
    });
    modeslApi = await apiLatency(s.port, MODESL_API_CALLS, () => new Promise<void>((res) => m.api('status', () => res())));
    m.disconnect();
  } finally {
    await s.stop();
  }

  const fmt = (x: number) => Math.round(x);
  report.figure('esl_events_per_s', fmt(r.ours.perS), 'events/s', `ours, event json (the engine's format), reading Event-Name + Unique-ID + Application-UUID; ${EVENTS} events (${bytesPerEvent} B plain), median of ${RUNS}; ${(r.ours.perS / r.lite.perS).toFixed(1)}x esl-lite, ${((100 * r.ours.perS) / r.raw.perS).toFixed(0)}% of raw`);
  report.figure('esl_events_per_s.esl-lite', fmt(r.lite.perS), 'events/s', r.lite.note ?? 'esl-lite (json, full decode)');
  report.figure('esl_events_per_s.modesl', fmt(r.modesl.perS), 'events/s', r.modesl.note ?? 'modesl (plain, full decode)');
  report.figure('esl_events_per_s.raw', fmt(r.raw.perS), 'events/s', 'socket read only, counting bytes');
  report.figure('esl_events_per_s_plain', fmt(r.oursPlain.perS), 'events/s', 'ours with event plain (json wins: fewer bytes to scan per field, no URL-decoding)');
  report.figure('esl_events_per_cpu_s', fmt(r.ours.perCpuS), 'events/cpu-s', 'consumer CPU time only; steadier than wall time when the host is busy');
  report.figure('esl_events_per_cpu_s.esl-lite', fmt(r.lite.perCpuS), 'events/cpu-s');
  report.figure('esl_events_per_cpu_s.modesl', fmt(r.modesl.perCpuS), 'events/cpu-s');
  report.figure('esl_events_per_cpu_s.raw', fmt(r.raw.perCpuS), 'events/cpu-s');
  report.figure('esl_api_p50_us', fmt(percentile(oursApi, 50)), 'us', `api status, one in flight, ${API_CALLS} calls`);
  report.figure('esl_api_p99_us', fmt(percentile(oursApi, 99)), 'us');
  report.figure('esl_api_p50_us.bare_socket', fmt(percentile(bareApiUs, 50)), 'us', 'bare socket + our frame parser, no connection machinery: the host floor');
  report.figure('esl_api_p99_us.bare_socket', fmt(percentile(bareApiUs, 99)), 'us');
  report.figure('esl_api_p50_us.modesl', fmt(percentile(modeslApi, 50)), 'us', `modesl api status, ${MODESL_API_CALLS} calls`);
  report.figure('esl_api_p99_us.modesl', fmt(percentile(modeslApi, 99)), 'us');
  report.print();
}

await main();
process.exit(0);
