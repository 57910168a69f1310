import { createTestDatabase, type TestDatabase } from '@switchyard/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnalyticsInputError,
  type CallLogEvent,
  callKpis,
  callTimeline,
  campaignOutcomes,
  exportCallsCsv,
  foldEvents,
  ivrFunnel,
  listCalls,
  refreshKpiRollup,
  rollupBucketOf,
} from '../src/index.ts';
import { type LegScript, parsedLegEvents } from '../src/testing/leg-events.ts';

// A small data set whose every figure is worked out by hand in the comments below.
const DAY = Date.UTC(2026, 10, 20);
const at = (h: number, m: number) => new Date(DAY + h * 3600_000 + m * 60_000);
const from = new Date(DAY);
const to = new Date(DAY + 86_400_000);

function dataSet(): { scripts: LegScript[]; legs: CallLogEvent[][] } {
  const scripts: LegScript[] = [];
  // node fs1 / trunk t1, one leg every 3 minutes from 10:00 (5-min buckets 0,5,10,15,20,25):
  // 6 answered (ring 2 s, talk 60 s, PDD 1 s, MOS 4, loss 1 %), 2 busy, 1 abandoned, 1 failed.
  const fs1: Partial<LegScript>[] = [
    ...Array.from({ length: 6 }, (_, i) => ({
      answerAfterMs: 2000,
      talkMs: 60_000,
      pddMs: 1000,
      mos: 4,
      packetLossPct: 1,
      ivr: i < 3 ? ['welcome', 'menu', 'sales'] : ['welcome', 'menu'],
    })),
    { ringMs: 4000, hangupCause: 'USER_BUSY', sipCode: 486 },
    { ringMs: 4000, hangupCause: 'USER_BUSY', sipCode: 486, callee: 'a,"b"' },
    { ringMs: 5000, hangupCause: 'ORIGINATOR_CANCEL', ivr: ['welcome'] },
    { ringMs: 100, hangupCause: 'DESTINATION_OUT_OF_ORDER', sipCode: 502 },
  ];
  fs1.forEach((s, i) => {
    scripts.push({ node: 'fs1', trunk: 't1', flowId: 'support', caller: `+44111000000${i}`, startedAt: at(10, i * 3), ...s });
  });
  // node fs2 / trunk t2 / campaign 7, one leg every 10 minutes from 11:00: 4 answered
  // (ring 3 s, talk 120 s, PDD 2 s, MOS 3, loss 3 %), 1 no answer, 1 still open.
  const fs2: Partial<LegScript>[] = [
    ...Array.from({ length: 4 }, () => ({ answerAfterMs: 3000, talkMs: 120_000, pddMs: 2000, mos: 3, packetLossPct: 3 })),
    { ringMs: 30_000, hangupCause: 'NO_ANSWER', sipCode: 480 },
    { answerAfterMs: 1000, noHangup: true },
  ];
  fs2.forEach((s, i) => {
    scripts.push({
      node: 'fs2',
      trunk: 't2',
      direction: 'outbound',
      campaignId: '7',
      contactId: String(i + 1),
      caller: '+442000000000',
      startedAt: at(11, i * 10),
      ...s,
    });
  });
  return { scripts, legs: scripts.map((s) => parsedLegEvents(s)) };
}

describe('analytics on a known data set', () => {
  let t: TestDatabase;
  let legs: CallLogEvent[][];

  beforeAll(async () => {
    t = await createTestDatabase();
    ({ legs } = dataSet());
    const { legs: rows, steps } = foldEvents(legs.flat());
    await t.db.insertInto('call_legs').values(rows).execute();
    await t.db.insertInto('ivr_steps').values(steps).execute();
    await refreshKpiRollup(t.db, rows.map((r) => rollupBucketOf(r.started_at)));
  });
  afterAll(async () => t?.drop());

  it('computes the day KPIs: calls, ASR, NER, ACD, ALOC, PDD, abandon rate, MOS, loss', async () => {
    const [day] = await callKpis(t.db, { from, to, interval: 'day' });
    expect(day!.bucket).toEqual(from);
    expect(day!.calls).toBe(16);
    expect(day!.answered).toBe(10);
    expect(day!.asr).toBeCloseTo(10 / 15, 6); // 15 ended legs
    expect(day!.ner).toBeCloseTo(14 / 15, 6); // all but the failed one
    expect(day!.acd_s).toBeCloseTo((6 * 60 + 4 * 120) / 10, 6);
    expect(day!.aloc_s).toBeCloseTo((6 * 62 + 4 * 123) / 10, 6);
    expect(day!.pdd_ms).toBeCloseTo((6 * 1000 + 4 * 2000) / 10, 6);
    expect(day!.abandon_rate).toBeCloseTo(1 / 15, 6);
    expect(day!.mos).toBeCloseTo(3.6, 6);
    expect(day!.packet_loss_pct).toBeCloseTo(1.8, 6);
  });

  it('answers the same from the 5-minute rollup as from a scan of call_legs', async () => {
    for (const interval of ['5min', 'hour', 'day'] as const) {
      for (const by of [undefined, 'node', 'trunk'] as const) {
        const raw = await callKpis(t.db, { from, to, interval, by, source: 'raw' });
        const rolled = await callKpis(t.db, { from, to, interval, by, source: 'rollup' });
        expect(rolled).toHaveLength(raw.length);
        rolled.forEach((r, i) => {
          const w = raw[i]!;
          expect([r.bucket, r.group, r.calls, r.answered]).toEqual([w.bucket, w.group, w.calls, w.answered]);
          for (const k of ['asr', 'ner', 'acd_s', 'aloc_s', 'pdd_ms', 'abandon_rate', 'mos', 'packet_loss_pct'] as const) {
            if (w[k] === null) expect(r[k]).toBeNull();
            else expect(r[k]).toBeCloseTo(w[k], 9);
          }
        });
      }
    }
    const fs2 = await callKpis(t.db, { from, to, interval: 'day', node: 'fs2', source: 'rollup' });
    expect(fs2.map((r) => [r.calls, r.asr])).toEqual([[6, 0.8]]);
    await expect(callKpis(t.db, { from, to, interval: 'day', caller: 'x', source: 'rollup' })).rejects.toThrow(/rollup/);
  });

  it('splits by node and trunk, and buckets by hour and 5 minutes', async () => {
    const byNode = await callKpis(t.db, { from, to, interval: 'day', by: 'node' });
    expect(byNode.map((r) => [r.group, r.calls, r.asr, r.ner])).toEqual([
      ['fs1', 10, 0.6, 0.9],
      ['fs2', 6, 0.8, 1],
    ]);
    const byTrunk = await callKpis(t.db, { from, to, interval: 'hour', by: 'trunk' });
    expect(byTrunk.map((r) => [r.bucket.toISOString(), r.group, r.calls])).toEqual([
      [at(10, 0).toISOString(), 't1', 10],
      [at(11, 0).toISOString(), 't2', 6],
    ]);
    const fiveMin = await callKpis(t.db, { from, to, interval: '5min' });
    expect(fiveMin).toHaveLength(12);
    expect(fiveMin.reduce((a, r) => a + r.calls, 0)).toBe(16);
    expect(fiveMin[0]).toMatchObject({ bucket: at(10, 0), calls: 2 });
  });

  it('filters by caller, callee, node, disposition, hangup cause, campaign and IVR state', async () => {
    const n = async (f: Record<string, string>) => (await listCalls(t.db, { from, to, ...f }, { limit: 1000 })).items.length;
    expect(await n({ caller: '+441110000003' })).toBe(1);
    expect(await n({ callee: 'a,"b"' })).toBe(1);
    expect(await n({ node: 'fs2' })).toBe(6);
    expect(await n({ disposition: 'busy' })).toBe(2);
    expect(await n({ disposition: 'open' })).toBe(1);
    expect(await n({ hangupCause: 'USER_BUSY' })).toBe(2);
    expect(await n({ campaignId: '7', disposition: 'answered' })).toBe(4);
    expect(await n({ ivrState: 'sales' })).toBe(3);
    expect(await n({ ivrState: 'welcome', node: 'fs1' })).toBe(7);
    expect(await listCalls(t.db, { from: to, to: new Date(to.getTime() + 1000) })).toEqual({ items: [], next: null });
  });

  it('pages with a cursor, newest first, each leg exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listCalls(t.db, { from, to }, { limit: 5, cursor });
      seen.push(...page.items.map((r) => r.leg_id));
      const times = page.items.map((r) => r.started_at.getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(16);
  });

  it('gives one call its timeline', async () => {
    const leg = legs[0]!;
    const tl = await callTimeline(t.db, leg[0]!.legId);
    expect(tl!.entries.map((e) => e.kind)).toEqual(['created', 'answered', 'ivr', 'ivr', 'ivr', 'hungup']);
    expect(tl!.entries.filter((e) => e.kind === 'ivr').map((e) => e.detail.state)).toEqual(['welcome', 'menu', 'sales']);
    expect(tl!.entries.at(-1)!.detail).toMatchObject({ cause: 'NORMAL_CLEARING', disposition: 'answered', talkMs: 60_000 });
    expect(await callTimeline(t.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('puts a transferred leg in its parent call timeline', async () => {
    // On another day, so the day figures above stay as they are.
    const start = new Date(DAY + 2 * 86_400_000);
    const parent = parsedLegEvents({ startedAt: start, answerAfterMs: 1000, talkMs: 10_000 });
    const child = parsedLegEvents({ startedAt: new Date(start.getTime() + 5000), direction: 'transfer', answerAfterMs: 500, talkMs: 3000 });
    const created = child[0]!;
    if (created.type !== 'leg.created') throw new Error('first event is the creation');
    created.parentLegId = parent[0]!.legId;
    const transferred = { ...parent[1]!, seq: 9, id: 'x', type: 'leg.transferred' as const, transferredTo: 'sales-queue', at: new Date(start.getTime() + 4000) };
    const { legs: rows } = foldEvents([...parent, transferred, ...child]);
    await t.db.insertInto('call_legs').values(rows).execute();
    const tl = await callTimeline(t.db, parent[0]!.legId);
    expect(tl!.legs.map((l) => l.direction)).toEqual(['inbound', 'transfer']);
    expect(tl!.entries.map((e) => `${e.legId === parent[0]!.legId ? 'parent' : 'child'}:${e.kind}`)).toEqual([
      'parent:created',
      'parent:answered',
      'parent:transferred',
      'child:created',
      'child:answered',
      'child:hungup',
      'parent:hungup',
    ]);
  });

  it('builds the IVR funnel: reached each state, dropped where', async () => {
    const funnel = await ivrFunnel(t.db, { from, to }, 'support');
    expect(funnel.map((s) => [s.state, s.reached, s.droppedHere])).toEqual([
      ['welcome', 7, 1],
      ['menu', 6, 3],
      ['sales', 3, 3],
    ]);
  });

  it('counts campaign outcomes', async () => {
    const [c] = await campaignOutcomes(t.db, { from, to });
    expect(c).toEqual({
      campaignId: '7',
      legs: 6,
      contacts: 6,
      byDisposition: { answered: 4, no_answer: 1, open: 1 },
      asr: 0.8,
      acdS: 120,
    });
  });

  it('streams a CSV export with escaped fields', async () => {
    let csv = '';
    for await (const chunk of exportCallsCsv(t.db, { from, to }, 4)) csv += chunk;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(17);
    expect(lines[0]!.startsWith('leg_id,started_at,direction,caller,callee')).toBe(true);
    expect(csv).toContain(',"a,""b""",');
  });

  it('agrees with the BI views', async () => {
    const v = await sql<{ node: string; calls: string; asr: string }>`
      SELECT node, calls, asr FROM v_daily_kpis WHERE day = ${from.toISOString().slice(0, 10)}::date ORDER BY node`.execute(t.db);
    expect(v.rows).toEqual([
      { node: 'fs1', calls: '10', asr: '0.6000' },
      { node: 'fs2', calls: '6', asr: '0.8000' },
    ]);
    const f = await sql<{ state: string; reached: string }>`SELECT state, reached FROM v_ivr_funnel ORDER BY reached DESC`.execute(t.db);
    expect(f.rows.map((r) => [r.state, Number(r.reached)])).toEqual([
      ['welcome', 7],
      ['menu', 6],
      ['sales', 3],
    ]);
  });

  it('rejects bad input with a clear error', async () => {
    await expect(listCalls(t.db, { from: to, to: from })).rejects.toThrow(AnalyticsInputError);
    await expect(listCalls(t.db, { to } as never)).rejects.toThrow(/from/);
    await expect(listCalls(t.db, { from, to }, { cursor: 'garbage' })).rejects.toThrow(/invalid cursor/);
    await expect(callKpis(t.db, { from, to, interval: 'week' as never })).rejects.toThrow(/interval/);
    await expect(callTimeline(t.db, 'x')).rejects.toThrow(/UUID/);
  });
});
