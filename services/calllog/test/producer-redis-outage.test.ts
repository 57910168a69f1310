import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRedis, type Redis, Registry, redisReady } from '@switchyard/core';
import { sleep, startTcpProxy, type TcpProxy, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallLogEventInput, CallLogProducer, registerProducerMetrics } from '../src/index.ts';
import { legEvents } from '../src/testing/leg-events.ts';

// Redis goes away for OUTAGE_MS (30 s by default, as the acceptance list asks) while calls
// keep producing events; everything must reach the stream afterwards, in order per leg.
const OUTAGE_MS = Number(process.env.CALLLOG_OUTAGE_MS ?? 30_000);

describe('producer with Redis unavailable', () => {
  let proxy: TcpProxy;
  let direct: Redis;
  let dir: string;
  const clients: Redis[] = [];
  const prefix = testRedisPrefix('calllog');
  const redisPort = Number(new URL(testRedisUrl()).port || 6379);

  beforeAll(async () => {
    proxy = await startTcpProxy(redisPort);
    direct = createRedis(testRedisUrl());
    await redisReady(direct); // no offline queue: commands fail until connected
    dir = await mkdtemp(path.join(os.tmpdir(), 'calllog-spool-'));
  });
  afterAll(async () => {
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length) await direct.del(...keys);
    for (const c of clients) c.disconnect();
    direct.disconnect();
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  });

  const viaProxy = () => {
    const r = createRedis(`redis://127.0.0.1:${proxy.port}`);
    r.on('error', () => {});
    clients.push(r);
    return r;
  };

  async function streamEvents(stream: string): Promise<{ id: string; legId: string; seq: number }[]> {
    const out: { id: string; legId: string; seq: number }[] = [];
    let start = '-';
    for (;;) {
      const page = await direct.xrange(stream, start, '+', 'COUNT', 5000);
      for (const [, fields] of page) {
        const e = JSON.parse(fields[1]!) as { id: string; legId: string; seq: number };
        out.push(e);
      }
      if (page.length < 5000) return out;
      start = `(${page[page.length - 1]![0]}`;
    }
  }

  it('spools during a 30 s outage, replays in order, loses nothing', { timeout: OUTAGE_MS + 60_000 }, async () => {
    const stream = `${prefix}calllog`;
    const redis = viaProxy();
    await redisReady(redis); // no offline queue: commands fail until connected
    const producer = new CallLogProducer({ redis, stream, spoolDir: path.join(dir, 'a') });
    await producer.start();
    const produced: CallLogEventInput[] = [];
    // Legs interleave: each tick emits the next event of many open legs.
    let open: CallLogEventInput[][] = [];
    const tick = (newLegs: number) => {
      for (let i = 0; i < newLegs; i++) open.push(legEvents({ answerAfterMs: 100, talkMs: 1000, ivr: ['welcome', 'menu'] }));
      for (const leg of open) {
        const e = leg.shift()!;
        expect(producer.append(e)).toBe(true);
        produced.push(e);
      }
      open = open.filter((l) => l.length > 0);
    };
    for (let i = 0; i < 20; i++) {
      tick(20);
      await sleep(20);
    }
    await proxy.cut();
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      tick(20);
      await sleep(100);
    }
    expect(producer.stats().mode).toBe('spool');
    await proxy.restore();
    // Calls keep coming while the spool replays.
    const after = Date.now() + 2_000;
    while (Date.now() < after) {
      tick(20);
      await sleep(20);
    }
    while (open.length > 0) tick(0);
    await waitFor(
      async () => {
        await producer.flush();
        return producer.stats().mode === 'direct' && producer.stats().spoolBytes === 0;
      },
      { timeoutMs: 30_000, what: 'spool replayed' },
    );
    await producer.close();
    const stats = producer.stats();
    expect(stats.spooled).toBeGreaterThan(1000);
    expect(stats.replayed).toBeGreaterThanOrEqual(stats.spooled);
    expect(stats.dropped).toBe(0);

    const got = await streamEvents(stream);
    const ids = new Set(got.map((e) => e.id));
    expect(ids.size).toBe(produced.length);
    for (const e of produced) expect(ids.has(e.id)).toBe(true);
    // Order per leg: the first occurrence of each event comes in seq order.
    const lastSeq = new Map<string, number>();
    const seen = new Set<string>();
    for (const e of got) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      expect(e.seq).toBe((lastSeq.get(e.legId) ?? -1) + 1);
      lastSeq.set(e.legId, e.seq);
    }
  });

  it('keeps the spool across a restart and replays it before new events', async () => {
    const stream = `${prefix}restart`;
    await proxy.cut();
    const redis = viaProxy();
    const first = new CallLogProducer({ redis, stream, spoolDir: path.join(dir, 'b') });
    await first.start();
    const leg = legEvents({ answerAfterMs: 10, talkMs: 10 });
    for (const e of leg.slice(0, 2)) first.append(e);
    await first.close();
    expect(first.stats().spooled).toBe(2);

    await proxy.restore();
    const redis2 = viaProxy();
    await redisReady(redis2); // no offline queue: commands fail until connected
    const second = new CallLogProducer({ redis: redis2, stream, spoolDir: path.join(dir, 'b') });
    await second.start();
    expect(second.stats().mode).toBe('spool');
    for (const e of leg.slice(2)) second.append(e);
    await waitFor(async () => {
      await second.flush();
      return second.stats().mode === 'direct';
    });
    await second.close();
    expect((await streamEvents(stream)).map((e) => e.seq)).toEqual([0, 1, 2]);
  });

  it('refuses bad events without throwing into the caller', async () => {
    const errors: Error[] = [];
    const p = new CallLogProducer({ redis: viaProxy(), stream: `${prefix}bad`, spoolDir: path.join(dir, 'c'), onError: (e) => errors.push(e) });
    await p.start();
    expect(p.append({ v: 1, type: 'leg.answered' } as never)).toBe(false);
    await p.close();
    expect(p.stats().invalid).toBe(1);
    expect(errors[0]?.message).toMatch(/invalid call-log event/);
    const registry = new Registry();
    registerProducerMetrics(registry, p);
    const text = await registry.metrics();
    expect(text).toContain('calllog_producer_events{state="invalid"} 1');
    expect(text).toContain('calllog_producer_spooling 0');
  });
});
