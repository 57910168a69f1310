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
import { EslEvent, EslFrameParser, EslInboundClient, type EslEventFormat } from '@switchyard/esl';
import { startProcess } from '@switchyard/core/testing';
import { FreeSwitchClient } from 'esl-lite';
import esl from 'modesl';
import { pino } from 'pino';
import { buildExecuteCompleteFixture } from './lib/esl-event-fixture.ts';
import { benchReport, percentile } from './lib/report.ts';

const report = benchReport('esl');
const quick = report.quick;
const EVENTS = quick ? 60_000 : 200_000;
/** Events before the timing window opens: connect, auth, subscribe and JIT warm-up stay outside it. */
const WARM = EVENTS / 10;
/** Rounds per peer, interleaved (peer order rotates each round); figures are medians over rounds. */
const ROUNDS = quick ? 3 : 5;
const PEER_LIMIT_S = quick ? 10 : 40;
const API_CALLS = quick ? 2_000 : 20_000;
const MODESL_API_CALLS = quick ? 40 : 200; // ~44 ms each (Nagle + delayed ACK)

interface Streamer {
  port: number;
  plainBytes: number;
  jsonBytes: number;
  stop(): Promise<void>;
}

/** One streamer process serves every run: each connection gets its own `count` events. */
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
  const info = JSON.parse(line) as { port: number; plainBytes: number; jsonBytes: number };
  return { ...info, stop: () => p.stop() };
}

/** Stops a peer's client. */
type Stop = () => void | Promise<void>;

/** Outcome of one throughput run, over the window from event WARM to event `n`. */
interface Rate {
  perS: number;
  /** Events per CPU-second of this (consumer) process: steadier than wall time on a busy host. */
  perCpuS: number;
  complete: boolean;
}

/**
 * Run `start(onEvent)` until `n` events or the time limit; `start` returns a stop function. The
 * clock and CPU counter start at event WARM, so every peer is timed on the same warm stream.
 */
async function measure(n: number, start: (onEvent: () => void) => Promise<Stop> | Stop): Promise<Rate> {
  let got = 0;
  let t0 = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const stop = await start(() => {
    if (++got === WARM) {
      t0 = performance.now();
      cpu0 = process.cpuUsage();
    } else if (got === n) finish();
  });
  const limit = setTimeout(finish, PEER_LIMIT_S * 1000);
  await done;
  clearTimeout(limit);
  const t1 = performance.now();
  const cpu = cpu0 ? process.cpuUsage(cpu0) : undefined;
  await stop(); // before the next peer starts: nothing of this one still reads
  if (!cpu) return { perS: 0, perCpuS: 0, complete: false };
  const timed = got - WARM;
  return { perS: timed / ((t1 - t0) / 1000), perCpuS: timed / ((cpu.user + cpu.system) / 1e6), complete: got >= n };
}

const ours = (port: number, format: EslEventFormat) => (onEvent: () => void) => {
  const c = new EslInboundClient({ host: '127.0.0.1', port, password: 'ClueCon', events: { format, names: ['CHANNEL_EXECUTE_COMPLETE'] } });
  c.on('event', (e) => {
    // What the engine reads per event: the name and the two correlation ids.
    if (e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.uniqueId && e.applicationUuid) onEvent();
  });
  void c.connect();
  return () => c.close(50);
};

/** What the raw peers do with a read of `n` bytes: count whole events, parse nothing. */
function eventCounter(bytesPerEvent: number, onEvent: () => void): (n: number) => void {
  let bytes = 0;
  return (n) => {
    bytes += n;
    while (bytes >= bytesPerEvent) {
      bytes -= bytesPerEvent;
      onEvent();
    }
  };
}

/** The ceiling: the same json stream ours parses, socket read only (bytes counted, nothing parsed). */
const raw = (port: number, bytesPerEvent: number) => (onEvent: () => void) => {
  const s = connect({ host: '127.0.0.1', port, noDelay: true });
  s.write('auth ClueCon\n\nevent json CHANNEL_EXECUTE_COMPLETE\n\n');
  const count = eventCounter(bytesPerEvent, onEvent);
  s.on('data', (b: Buffer) => count(b.length));
  s.on('error', () => {});
  return () => {
    s.destroy();
  };
};

/**
 * The hard ceiling: the same count over net's `onread` into one reused 64 KB buffer — no buffer
 * allocated per read at all. Ours reads into slabs (a view per read that must stay valid), the
 * 'data' peer above gets a fresh buffer per read; this one keeps nothing.
 */
const rawOnread = (port: number, bytesPerEvent: number) => (onEvent: () => void) => {
  const count = eventCounter(bytesPerEvent, onEvent);
  const s = connect({
    host: '127.0.0.1',
    port,
    noDelay: true,
    onread: {
      buffer: Buffer.allocUnsafe(64 * 1024),
      callback: (n: number) => {
        count(n);
        return true;
      },
    },
  });
  s.write('auth ClueCon\n\nevent json CHANNEL_EXECUTE_COMPLETE\n\n');
  s.on('error', () => {});
  return () => {
    s.destroy();
  };
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

type Peer = (port: number) => (onEvent: () => void) => Promise<Stop> | Stop;

/** Per peer: rates of every round, and how many rounds fell short of all events. */
interface Series {
  perS: number[];
  perCpuS: number[];
  incomplete: number;
}

/**
 * Every peer once per round against the one streamer, rotating the order each round so no peer
 * always runs first or right after a garbage-heavy one; host load drifting over the run then
 * hits every peer alike.
 */
async function throughputRounds(streamer: Streamer, peers: Record<string, Peer>): Promise<Record<string, Series>> {
  const names = Object.keys(peers);
  const out: Record<string, Series> = Object.fromEntries(names.map((n) => [n, { perS: [], perCpuS: [], incomplete: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      const r = await measure(EVENTS, peers[name]!(streamer.port));
      out[name]!.perS.push(r.perS);
      out[name]!.perCpuS.push(r.perCpuS);
      if (!r.complete) out[name]!.incomplete++;
    }
  }
  return out;
}

/** Median over rounds of a per-round ratio a/b (the two ran back to back, under the same load). */
function medianRatio(a: number[], b: number[]): number {
  return median(a.map((x, i) => x / b[i]!));
}

/** Latency of `calls` sequential calls of `one`, in µs, after `warm` untimed ones (JIT). */
async function apiLatency(calls: number, one: () => Promise<void>, warm = Math.min(500, calls)): Promise<number[]> {
  for (let i = 0; i < warm; i++) await one();
  const us: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    await one();
    us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return us;
}

/** Blocks alternating between ours and the bare-socket floor, so host hiccups land on both alike. */
const API_BLOCKS = 10;
const API_WARM_MS = 2000;

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

/**
 * Our codec alone, no socket: the json stream fed from memory in 64 KB reads (a socket read's
 * size), each event read as the engine reads it. CPU time per event is free of the loopback and
 * of how the scheduler sizes reads on a busy host — the steadiest regression signal here.
 */
function parseOnly(): number {
  const event = buildExecuteCompleteFixture().json;
  const stream = Buffer.concat(Array(2000).fill(event));
  const reads: Buffer[] = [];
  for (let at = 0; at < stream.length; at += 65536) reads.push(Buffer.from(stream.subarray(at, at + 65536)));
  let seen = 0;
  const pass = () => {
    const parser = new EslFrameParser();
    for (const r of reads) {
      parser.push(r, (f) => {
        const e = EslEvent.fromFrame(f);
        if (e && e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.uniqueId && e.applicationUuid) seen++;
      });
    }
  };
  for (let i = 0; i < 20; i++) pass(); // warm-up (JIT)
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS * 3; round++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < 10; i++) pass();
    const cpu = process.cpuUsage(cpu0);
    rates.push((10 * 2000) / ((cpu.user + cpu.system) / 1e6));
  }
  if (seen !== (20 + ROUNDS * 30) * 2000) throw new Error(`parse-only: ${seen} events matched`);
  return median(rates);
}

async function main(): Promise<void> {
  const s = await startStreamer(EVENTS);
  let r: Record<string, Series>;
  let oursApi: number[];
  let modeslApi: number[];
  let bareApiUs: number[];
  try {
    // Before the throughput rounds: their garbage (esl-lite's and modesl's most of all) would be
    // collected during whichever latency run came next.
    const c = new EslInboundClient({ host: '127.0.0.1', port: s.port, password: 'ClueCon' });
    await c.connect();
    const bare = await bareApi(s.port);
    const oursOne = async () => {
      await c.api('status');
    };
    // Warm-up by time, not by count: a few hundred calls end before the optimising compiler and
    // the freshly started streamer settle, and their hiccups would land in the first block.
    for (const until = performance.now() + API_WARM_MS; performance.now() < until; ) {
      await apiLatency(0, oursOne, 100);
      await apiLatency(0, bare.one, 100);
    }
    oursApi = [];
    bareApiUs = [];
    for (let b = 0; b < API_BLOCKS; b++) {
      oursApi.push(...(await apiLatency(API_CALLS / API_BLOCKS, oursOne, 0)));
      bareApiUs.push(...(await apiLatency(API_CALLS / API_BLOCKS, bare.one, 0)));
    }
    await c.close(100);
    bare.close();
    const m = await new Promise<ModeslConnection>((resolve) => {
      const conn: ModeslConnection = new ModeslConn('127.0.0.1', s.port, 'ClueCon', () => resolve(conn));
      conn.on('error', () => {}); // modesl throws unhandled socket errors otherwise
    });
    modeslApi = await apiLatency(MODESL_API_CALLS, () => new Promise<void>((res) => m.api('status', () => res())));
    m.disconnect();
    r = await throughputRounds(s, {
      raw: (p) => raw(p, s.jsonBytes),
      rawOnread: (p) => rawOnread(p, s.jsonBytes),
      ours: (p) => ours(p, 'json'),
      oursPlain: (p) => ours(p, 'plain'),
      lite: (p) => eslLite(p),
      modesl: (p) => modesl(p),
    });
  } finally {
    await s.stop();
  }
  const parsePerCpuS = parseOnly();

  const fmt = (x: number) => Math.round(x);
  const med = (name: string) => median(r[name]!.perS);
  const medCpu = (name: string) => median(r[name]!.perCpuS);
  const short = (name: string) => (r[name]!.incomplete ? `; ${r[name]!.incomplete}/${ROUNDS} rounds did not receive all ${EVENTS} events within ${PEER_LIMIT_S} s` : '');
  const vsLite = medianRatio(r.ours!.perS, r.lite!.perS);
  const vsRaw = medianRatio(r.ours!.perS, r.raw!.perS);
  const window = `events ${WARM}..${EVENTS} of each connection timed, median of ${ROUNDS} interleaved rounds`;
  report.figure('esl_events_per_s', fmt(med('ours')), 'events/s', `ours, event json (the engine's format, ${s.jsonBytes} B/event), reading Event-Name + Unique-ID + Application-UUID; ${window}${short('ours')}`);
  report.figure('esl_events_per_s.esl-lite', fmt(med('lite')), 'events/s', `esl-lite (json, full decode)${short('lite')}`);
  report.figure('esl_events_per_s.modesl', fmt(med('modesl')), 'events/s', `modesl (plain, full decode)${short('modesl')}`);
  report.figure('esl_events_per_s.raw', fmt(med('raw')), 'events/s', `the same json stream, socket read only, counting bytes${short('raw')}`);
  report.figure('esl_events_per_s.raw-onread', fmt(med('rawOnread')), 'events/s', `the same, read through net's onread into one reused buffer (no allocation per read)${short('rawOnread')}`);
  report.figure('esl_events_per_s_plain', fmt(med('oursPlain')), 'events/s', `ours with event plain (${s.plainBytes} B/event)${short('oursPlain')}`);
  report.figure('esl_events_vs_esl_lite', Number(vsLite.toFixed(2)), 'x', 'ours / esl-lite, median over rounds of the ratio within a round (goal >= 3)');
  report.figure('esl_events_vs_raw', Number((100 * vsRaw).toFixed(1)), '%', 'ours / raw, median over rounds of the ratio within a round (goal >= 50)');
  report.figure('esl_events_vs_raw_onread', Number((100 * medianRatio(r.ours!.perS, r.rawOnread!.perS)).toFixed(1)), '%', 'ours / raw-onread, the same way (no goal: the ceiling with nothing kept per read)');
  report.figure('esl_events_per_cpu_s', fmt(medCpu('ours')), 'events/cpu-s', 'consumer CPU time, socket reads included: steadier than wall time on a busy host, but a consumer that outpaces the streamer pays for more, smaller reads per event');
  report.figure('esl_events_per_cpu_s.esl-lite', fmt(medCpu('lite')), 'events/cpu-s');
  report.figure('esl_events_per_cpu_s.modesl', fmt(medCpu('modesl')), 'events/cpu-s');
  report.figure('esl_events_per_cpu_s.raw', fmt(medCpu('raw')), 'events/cpu-s');
  report.figure('esl_parse_events_per_cpu_s', fmt(parsePerCpuS), 'events/cpu-s', 'ours without a socket: the json stream from memory in 64 KB reads, same three fields read');
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
