import { createLogger, createRedis } from '@switchyard/core';
import { RedisRateLimiter } from '../src/pacing/redis-rate-limiter.ts';
import { createTestDatabase, sleep, type TestDatabase, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignInput } from '../src/campaign/campaign-input.ts';
import { CampaignService } from '../src/campaign/campaign-service.ts';
import { asDialerDb, type DialerDb } from '../src/db/dialer-schema.ts';
import { DncService } from '../src/dnc/dnc-service.ts';
import { DialerRunner, type DialerRunnerOptions } from '../src/runner/dialer-runner.ts';
import { makeCampaign, seedContacts, ukNumbers } from './helpers.ts';
import { type FakeCallPlan, FakeSwitch } from './support/fake-switch.ts';

let t: TestDatabase;
let db: DialerDb;
let svc: CampaignService;
const logger = createLogger('dialer-test', 'silent');
const nodes = { activeNodes: async () => [{ name: 'node1', weight: 1 }, { name: 'node2', weight: 1 }] };

beforeAll(async () => {
  t = await createTestDatabase();
  db = asDialerDb(t.db);
  svc = new CampaignService(db);
});
afterAll(async () => t?.drop());
// Runners poll every running campaign: one left going by a failed test would dial the next
// test's contacts and fail it too. Halt them all after each test, failed or not.
const started: DialerRunner[] = [];
afterEach(() => {
  for (const r of started.splice(0)) r.halt();
});

const answer = (talkMs: number, ringMs = 10): FakeCallPlan => ({ result: 'answer', ringMs, talkMs });

async function running(over: Partial<CampaignInput>, phones: string[], tz: string | null = null) {
  const c = await makeCampaign(t, over);
  await seedContacts(t, c.id, phones, tz);
  await svc.start(c.id, 'test');
  return c;
}

function runner(sw: FakeSwitch, extra: Partial<DialerRunnerOptions> = {}) {
  const r = new DialerRunner({ dialerId: `d-${Math.random().toString(36).slice(2, 7)}`, db, switch: sw, nodes, logger, ...extra });
  started.push(r);
  return r;
}

async function settled(id: string) {
  await waitFor(async () => (await svc.get(id)).state === 'completed', { timeoutMs: 30_000 });
  return svc.counts(id);
}

describe('dialer runner against a switch stand-in', () => {
  it('holds the set rate within ±10 % and never exceeds the concurrency cap', async () => {
    const sw = new FakeSwitch(() => answer(300));
    const c = await running({ maxCps: 10, maxConcurrent: 4 }, ukNumbers(50, 0));
    const r = runner(sw);
    await r.start();
    const p = await settled(c.id);
    await r.stop();
    expect(p).toMatchObject({ answered: 50, pending: 0, dialling: 0 });
    const at = sw.originates.map((o) => o.at).sort((a, b) => a - b);
    const rate = (at.length - 1) / ((at.at(-1)! - at[0]!) / 1000);
    expect(rate).toBeGreaterThan(10 * 0.9);
    expect(rate).toBeLessThan(10 * 1.1);
    expect(sw.maxLive).toBeLessThanOrEqual(4);
    expect(sw.maxLive).toBeGreaterThanOrEqual(3);
    // Both nodes carried calls (least-loaded spread).
    expect(new Set(sw.originates.map((o) => o.node))).toEqual(new Set(['node1', 'node2']));
  });

  it('two dialers share one pace (Redis bucket) and one concurrency cap (Postgres)', async () => {
    const redis = createRedis(testRedisUrl());
    const limiter = new RedisRateLimiter(redis, testRedisPrefix('dialer-rate'));
    const sw1 = new FakeSwitch(() => answer(300));
    const sw2 = new FakeSwitch(() => answer(300));
    const r1 = runner(sw1, { sharedLimiter: limiter });
    const r2 = runner(sw2, { sharedLimiter: limiter });
    await Promise.all([r1.start(), r2.start()]);
    // Pace: 20/s in total, not 20/s each.
    const paced = await running({ maxCps: 20, maxConcurrent: 100 }, ukNumbers(60, 100));
    await settled(paced.id);
    const at = [...sw1.originates, ...sw2.originates].map((o) => o.at).sort((a, b) => a - b);
    expect(at.length).toBe(60);
    expect(Math.min(sw1.originates.length, sw2.originates.length)).toBeGreaterThan(5);
    const rate = (at.length - 1) / ((at.at(-1)! - at[0]!) / 1000);
    expect(rate).toBeGreaterThan(20 * 0.9);
    expect(rate).toBeLessThan(20 * 1.1);
    // Concurrency: 5 in total, not 5 each.
    let maxUp = 0;
    const probe = setInterval(() => (maxUp = Math.max(maxUp, sw1.live.size + sw2.live.size)), 5);
    const capped = await running({ maxCps: 500, maxConcurrent: 5 }, ukNumbers(40, 160));
    await settled(capped.id);
    clearInterval(probe);
    await Promise.all([r1.stop(), r2.stop()]);
    redis.disconnect();
    expect(maxUp).toBe(5);
  });

  it('caps concurrency under a high rate', async () => {
    const sw = new FakeSwitch(() => answer(300));
    const c = await running({ maxCps: 200, maxConcurrent: 5 }, ukNumbers(30, 200));
    const r = runner(sw);
    await r.start();
    await settled(c.id);
    await r.stop();
    expect(sw.originates.length).toBe(30);
    expect(sw.maxLive).toBe(5);
  });

  it('retries busy after its backoff, stops at max attempts, and maps outcomes', async () => {
    const [retryThenAnswer, alwaysBusy, noAnswer, machine] = ukNumbers(4, 300);
    const sw = new FakeSwitch((phone, n) => {
      if (phone === retryThenAnswer) return n === 1 ? { result: 'busy', ringMs: 5, talkMs: 0 } : answer(20);
      if (phone === alwaysBusy) return { result: 'busy', ringMs: 5, talkMs: 0 };
      if (phone === noAnswer) return { result: 'no_answer', ringMs: 5, talkMs: 0 };
      return { result: 'machine', ringMs: 5, talkMs: 5000 };
    });
    const c = await running(
      { maxCps: 50, maxAttempts: 2, retryPolicy: { busy: { delaySec: 1 }, no_answer: { retry: false } } },
      [retryThenAnswer!, alwaysBusy!, noAnswer!, machine!],
    );
    const r = runner(sw);
    await r.start();
    const p = await settled(c.id);
    await r.stop();
    expect(p).toMatchObject({ answered: 1, busy: 3, noAnswer: 1, machine: 1, exhausted: 3, attempts: 6 });
    const tries = sw.originates.filter((o) => o.phone === retryThenAnswer);
    expect(tries.length).toBe(2);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(sw.originates.filter((o) => o.phone === alwaysBusy).length).toBe(2);
    // The machine was hung up by the dialer, not left to talk for 5 s.
    const m = sw.originates.find((o) => o.phone === machine)!;
    expect(m.endedAt! - m.at).toBeLessThan(2000);
    const causes = await db.selectFrom('attempts').select(['phone_e164', 'outcome', 'hangup_cause']).where('campaign_id', '=', c.id).orderBy('id').execute();
    expect(causes.find((a) => a.phone_e164 === noAnswer)).toMatchObject({ outcome: 'no_answer', hangup_cause: 'NO_ANSWER' });
    expect(causes.filter((a) => a.outcome === 'busy').every((a) => a.hangup_cause === 'USER_BUSY')).toBe(true);
  });

  it('never originates a DNC number or one outside the allowed prefixes', async () => {
    const phones = ukNumbers(20, 400);
    const sw = new FakeSwitch(() => answer(10));
    const c = await running({ maxCps: 100, allowedPrefixes: ['+447911'] }, [...phones, '+33142685300', '+12125550123']);
    const dnc = new DncService(db);
    await dnc.add(phones[0]!);
    await dnc.add(phones[1]!, { campaignId: c.id });
    await db.insertInto('dnc').values({ phone_e164: phones[2]! }).execute(); // behind the service's back
    const r = runner(sw);
    await r.start();
    const p = await settled(c.id);
    await r.stop();
    const dialled = new Set(sw.originates.map((o) => o.phone));
    for (const never of [phones[0], phones[1], phones[2], '+33142685300', '+12125550123']) expect(dialled.has(never!)).toBe(false);
    expect(dialled.size).toBe(17);
    expect(p).toMatchObject({ answered: 17, dncSkipped: 3, prefixRefused: 2 });
  });

  it('pause stops new originates within 1 s; resume continues; stop can end calls in flight', async () => {
    const sw = new FakeSwitch(() => answer(20_000));
    const c = await running({ maxCps: 20, maxConcurrent: 1000 }, ukNumbers(200, 500));
    const r = runner(sw);
    await r.start();
    await waitFor(() => sw.originates.length >= 10, { timeoutMs: 15_000 });
    await svc.pause(c.id, 'test');
    const pausedAt = Date.now();
    await sleep(1500);
    const late = sw.originates.filter((o) => o.at > pausedAt + 1000);
    expect(late).toEqual([]);
    const before = sw.originates.length;
    await svc.resume(c.id, 'test');
    await waitFor(() => sw.originates.length >= before + 5, { timeoutMs: 15_000 });
    expect(r.liveStats(c.id).inFlight).toBeGreaterThan(0);
    await svc.stop(c.id, 'test', { hangupInFlight: true });
    // The calls talk for 20 s: ending them all well before that is the stop's doing.
    const open = () => db.selectFrom('attempts').select('id').where('campaign_id', '=', c.id).where('ended_at', 'is', null).execute();
    await waitFor(async () => sw.live.size === 0 && (await open()).length === 0, { timeoutMs: 10_000, what: 'calls in flight ended by the stop' });
    await r.stop();
  });

  it('a contact outside its window waits; the window opening in its zone starts it', async () => {
    // Fake clock 2 s before Wed 25 Nov 2026 09:00 in Tokyo (= Tue 19:00 in New York).
    const opening = Date.UTC(2026, 10, 25, 0, 0);
    const offset = opening - 2000 - Date.now();
    const clock = () => Date.now() + offset;
    const sw = new FakeSwitch(() => answer(10));
    const c = await makeCampaign(t, {
      maxCps: 50,
      allowedPrefixes: ['+1', '+81'],
      windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }],
      defaultTimezone: 'America/New_York',
    });
    await seedContacts(t, c.id, ['+12125550123']);
    await seedContacts(t, c.id, ['+81312345678'], 'Asia/Tokyo');
    await svc.start(c.id, 'test');
    const r = runner(sw, { clock });
    await r.start();
    await settled(c.id);
    await r.stop();
    const ny = sw.originates.find((o) => o.phone === '+12125550123')!;
    const tokyo = sw.originates.find((o) => o.phone === '+81312345678')!;
    expect(ny.at + offset).toBeLessThan(opening);
    expect(tokyo.at + offset).toBeGreaterThanOrEqual(opening);
    expect(tokyo.at + offset).toBeLessThan(opening + 1000);
  });

  it('a restarted dialer adopts live calls and resolves lost ones without a double dial', async () => {
    const sw = new FakeSwitch(() => answer(1500));
    const c = await running({ maxCps: 50, maxConcurrent: 10, retryPolicy: { failed: { delaySec: 1 } } }, ukNumbers(20, 700));
    const dialerId = 'crashy';
    const a = runner(sw, { dialerId });
    await a.start();
    await waitFor(() => sw.live.size >= 10, { timeoutMs: 5000 });
    a.halt(); // as if killed: no drain, nothing closed
    // An attempt written but never originated (killed between commit and send).
    const lost = await db.selectFrom('contacts').select(['id', 'phone_e164']).where('campaign_id', '=', c.id).where('state', '=', 'pending').executeTakeFirstOrThrow();
    await db.updateTable('contacts').set({ state: 'dialling', attempts: 1 }).where('id', '=', lost.id).execute();
    await db.insertInto('attempts').values({ campaign_id: c.id, contact_id: lost.id, attempt_no: 1, phone_e164: lost.phone_e164, node: 'node1', call_uuid: crypto.randomUUID(), job_uuid: crypto.randomUUID(), dialler_id: dialerId }).execute();
    const b = runner(sw, { dialerId });
    await b.start();
    const p = await settled(c.id);
    await b.stop();
    expect(p).toMatchObject({ answered: 20, unknown: 1, pending: 0, dialling: 0 });
    // No phone ever had two calls up at once, and each answered exactly once.
    const byPhone = new Map<string, typeof sw.originates>();
    for (const o of sw.originates) byPhone.set(o.phone, [...(byPhone.get(o.phone) ?? []), o]);
    const twice = [...byPhone].filter(([, calls]) => calls.length !== 1).map(([phone]) => phone);
    expect(twice).toEqual([]);
    expect(byPhone.size).toBe(20);
  });
});
