import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRedis, type Redis, redisReady } from '@switchyard/core';
import { seededRandom, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCallLogEvent, fastCallLogWire } from '../src/event/fast-event-check.ts';
import { type CallLogEventInput, CallLogProducer, parseCallLogEvent } from '../src/index.ts';
import { legEvents } from '../src/testing/leg-events.ts';

const legId = '3f0c6b1e-8d2a-4c1b-9e7f-2a5b6c7d8e9f';
const base = { v: 1, legId, startedAt: new Date('2026-11-24T10:00:00.000Z'), direction: 'inbound', at: new Date('2026-11-24T10:00:01.000Z') };

/** Every type with every optional field set (and dates both ways). */
const rich: Record<string, unknown>[] = [
  {
    ...base, id: 'c', seq: 0, type: 'leg.created', caller: '+441', callee: '+442', did: '+443', campaignId: 12, contactId: '34', attemptId: null,
    node: 'fs1', engineId: 'e1', flowId: 'f', flowVersion: 3, parentLegId: randomUUID(), trunk: 't',
  },
  { ...base, id: 'a', seq: 1, type: 'leg.answered', startedAt: '2026-11-24T10:00:00+01:00' },
  { ...base, id: 's', seq: 2, type: 'ivr.step', step: 0, state: 'menu', kind: 'digits', flowId: null, flowVersion: 1, detail: { digits: '1', nested: { a: [1] } } },
  { ...base, id: 's2', seq: 3, type: 'ivr.step', step: 1, state: 'menu', kind: 'state' },
  { ...base, id: 'b', seq: 4, type: 'leg.bridged', bridgedTo: 'sofia/gw/1' },
  { ...base, id: 't', seq: 5, type: 'leg.transferred', transferredTo: 'queue:sales' },
  {
    ...base, id: 'h', seq: 6, type: 'leg.hungup', hangupCause: 'NORMAL_CLEARING', sipCode: 200, answeredAt: '2026-11-24T10:00:01.000Z',
    ringMs: 1, talkMs: 2, totalMs: 3, pddMs: 4, mos: 4.2, jitterMs: 0.5, packetLossPct: 0.1, extra: 'dropped',
  },
];

const tricky: unknown[] = [
  undefined, null, '', 'x', 'x'.repeat(65), 'x'.repeat(129), 'x'.repeat(201), 'x'.repeat(257), -1, 0, 1, 1.5, 99, 700, 5.5, 101,
  Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '123', '12345678901234567890', 'abc', true, [], {}, Object.create(null),
  new (class K {})(), new Date(Number.NaN), new Date(0), '2026-13-45T99:00:00Z', '2026-11-24T10:00:00Z', '2026-11-24',
  randomUUID(), 'ffffffff-ffff-ffff-ffff-ffffffffffff', '3f0c6b1e-8d2a-0c1b-9e7f-2a5b6c7d8e9f', 'inbound', 'outbound',
  'leg.hungup', 'ivr.step', 'leg.created', 2,
];

function mutate(r: () => number, e: Record<string, unknown>): Record<string, unknown> {
  const m: Record<string, unknown> = { ...e };
  const keys = [...Object.keys(m), 'caller', 'sipCode', 'detail', 'campaignId', 'step', 'state', 'mos', 'answeredAt', 'bridgedTo', 'parentLegId'];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const k = keys[Math.floor(r() * keys.length)]!;
    const v = tricky[Math.floor(r() * tricky.length)];
    if (v === undefined && r() < 0.5) delete m[k];
    else m[k] = v;
  }
  return m;
}

/** What the stream carries for a zod-validated event. */
const wire = (e: unknown) => JSON.parse(JSON.stringify(e)) as unknown;

describe('fastCallLogWire', () => {
  it('accepts every common event and returns exactly what the zod schema returns', () => {
    const inputs = [...rich, ...legEvents({ answerAfterMs: 1000, talkMs: 5000, ivr: ['welcome', 'menu'], pddMs: 800, mos: 4.1 })];
    for (const e of inputs) {
      const fast = fastCallLogWire(e);
      const slow = parseCallLogEvent(e);
      expect(fast, JSON.stringify(e)).toBeDefined();
      expect(slow.ok).toBe(true);
      if (slow.ok) expect(wire(fast)).toEqual(wire(slow.event));
    }
  });

  it('never accepts what zod rejects, and agrees on the output of what it accepts (random mutations)', () => {
    const r = seededRandom(20261125);
    let fastAccepted = 0;
    let zodOnly = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const e = mutate(r, rich[i % rich.length]!);
      const fast = fastCallLogWire(e);
      const slow = parseCallLogEvent(e);
      if (fast) {
        expect(slow.ok, JSON.stringify(e)).toBe(true);
        if (slow.ok) expect(wire(fast)).toEqual(wire(slow.event));
        fastAccepted++;
      } else if (slow.ok) zodOnly++;
      else rejected++;
    }
    // The mutations exercise all three outcomes; bad events are the bulk.
    expect(fastAccepted).toBeGreaterThan(500);
    expect(zodOnly).toBeGreaterThan(0); // e.g. a null-prototype detail
    expect(rejected).toBeGreaterThan(5_000);
  });

  it('dates: the canonical string form is kept only when it names that very instant', () => {
    const dates = [
      '2026-11-24T10:00:00.000Z', '2024-02-29T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '0000-01-01T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:59:60.000Z', '2026-00-01T00:00:00.000Z', '2026-1a-01T00:00:00.000Z', '2026-11-24T10:00:00.000+01:00',
      '2026-11-24T10:00Z', '2026-11-24T10:00:00.123456Z', '2026-11-24 10:00:00.000Z', new Date(Date.UTC(2026, 10, 24, 10)),
    ];
    let kept = 0;
    for (const at of dates) {
      const e = { ...rich[1]!, at };
      const fast = fastCallLogWire(e);
      const slow = parseCallLogEvent(e);
      expect(!!fast, String(at)).toBe(slow.ok);
      if (fast && slow.ok) {
        expect(fast.at).toBe(slow.event.at.toISOString());
        if (fast.at === at) kept++;
      }
    }
    expect(kept).toBe(4);
  });

  it('leaves unusual-but-valid input to zod instead of guessing', () => {
    const detail = Object.assign(Object.create(null) as object, { a: 1 });
    const e = { ...rich[2]!, detail };
    expect(fastCallLogWire(e)).toBeUndefined();
    expect(parseCallLogEvent(e).ok).toBe(true);
    // encodeCallLogEvent takes either path and gives the stream line, or the schema's error.
    const viaZod = encodeCallLogEvent(e);
    expect(viaZod.ok && JSON.parse(viaZod.line)).toMatchObject({ id: 's', detail: { a: 1 } });
    const viaFast = encodeCallLogEvent(rich[6]);
    expect(viaFast.ok && JSON.parse(viaFast.line)).toEqual(wire((parseCallLogEvent(rich[6]) as { event: unknown }).event));
    const bad = encodeCallLogEvent({ ...rich[6], mos: 9 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/^invalid call-log event: mos/);
  });
});

describe('CallLogProducer.append validation', () => {
  let redis: Redis;
  let dir: string;
  const prefix = testRedisPrefix('calllog-fast');
  beforeAll(async () => {
    redis = createRedis(testRedisUrl());
    await redisReady(redis); // no offline queue: commands fail until connected
    dir = await mkdtemp(path.join(os.tmpdir(), 'calllog-fast-'));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('returns false at once for bad input, accepts common and unusual valid input, and the stream holds only valid events', async () => {
    const stream = `${prefix}stream`;
    const errors: Error[] = [];
    const p = new CallLogProducer({ redis, stream, spoolDir: dir, onError: (e) => errors.push(e) });
    await p.start();
    const good = legEvents({ answerAfterMs: 10, talkMs: 10 });
    for (const e of good) expect(p.append(e)).toBe(true);
    const unusual = { ...rich[2]!, detail: Object.assign(Object.create(null) as object, { k: 'v' }) } as unknown as CallLogEventInput;
    expect(p.append(unusual)).toBe(true);
    const bad = [null, 'x', { ...good[0], legId: 'nope' }, { ...good[0], seq: -1 }, { ...good[1], at: '2026-13-45T99:00:00Z' }, { ...rich[6], mos: 9 }];
    for (const e of bad) expect(p.append(e as CallLogEventInput)).toBe(false);
    expect(p.stats().invalid).toBe(bad.length);
    expect(errors.map((e) => e.message).every((m) => m.startsWith('invalid call-log event'))).toBe(true);
    await p.flush();
    await waitFor(async () => (await redis.xlen(stream)) === good.length + 1);
    const rows = await redis.xrange(stream, '-', '+');
    const decoded = rows.map(([, f]) => parseCallLogEvent(JSON.parse(f[1]!)));
    expect(decoded.every((d) => d.ok)).toBe(true);
    expect(rows.map(([, f]) => (JSON.parse(f[1]!) as { id: string }).id)).toEqual([...good.map((e) => e.id), 's']);
    await p.close();
  });
});
