import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let t: TestApi;
const from = new Date(Date.now() - 3_600_000).toISOString();
const to = new Date(Date.now() + 60_000).toISOString();
const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
const legs = [randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  t = await startTestApi({ ports: 'all' });
  const now = Date.now();
  await t.tdb.db
    .insertInto('call_legs')
    .values(
      legs.map((id, i) => ({
        leg_id: id,
        started_at: new Date(now - (i + 1) * 60_000),
        direction: 'inbound' as const,
        caller: `+4420700000${i}`,
        callee: '+442079999999',
        node: i === 2 ? 'fs2' : 'fs1',
        answered_at: i === 1 ? null : new Date(now - (i + 1) * 60_000 + 2_000),
        ended_at: new Date(now - (i + 1) * 60_000 + 30_000),
        disposition: i === 1 ? 'no_answer' : 'answered',
        talk_ms: i === 1 ? null : 28_000,
        total_ms: 30_000,
        flow_id: 'support',
        ivr_last_state: 'menu',
      })),
    )
    .execute();
  await t.tdb.db
    .insertInto('ivr_steps')
    .values({ leg_id: legs[0]!, seq: 1, at: new Date(now - 59_000), flow_id: 'support', flow_version: 1, state: 'menu', kind: 'enter', detail: '{}' })
    .execute();
});
afterAll(async () => {
  await t?.close();
});

describe('calls analytics over HTTP', () => {
  it('searches with filters and cursor pages', async () => {
    const all = await t.call('GET', `/v1/calls?${range}&limit=2`, { token: t.tokens.analyst });
    expect(all.status).toBe(200);
    expect(all.body.items.map((c: { leg_id: string }) => c.leg_id)).toEqual([legs[0], legs[1]]);
    const next = await t.call('GET', `/v1/calls?${range}&limit=2&cursor=${all.body.nextCursor}`, { token: t.tokens.analyst });
    expect(next.body.items.map((c: { leg_id: string }) => c.leg_id)).toEqual([legs[2]]);
    const fs2 = await t.call('GET', `/v1/calls?${range}&node=fs2`, { token: t.tokens.analyst });
    expect(fs2.body.items).toHaveLength(1);
    expect(fs2.body.items[0].started_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('answers a bad range with 400, not a crash', async () => {
    const res = await t.call('GET', `/v1/calls?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, { token: t.tokens.analyst });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const missing = await t.call('GET', '/v1/calls', { token: t.tokens.analyst });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['query.from', 'query.to']);
  });

  it('gives one call’s timeline, KPIs, funnel and a CSV export', async () => {
    const tl = await t.call('GET', `/v1/calls/${legs[0]}/timeline`, { token: t.tokens.ops });
    expect(tl.status).toBe(200);
    expect(tl.body.entries.map((e: { kind: string }) => e.kind)).toContain('ivr');
    expect((await t.call('GET', `/v1/calls/${randomUUID()}/timeline`, { token: t.tokens.ops })).status).toBe(404);

    const kpis = await t.call('GET', `/v1/kpis?${range}&interval=day`, { token: t.tokens.analyst });
    expect(kpis.status).toBe(200);
    const calls = kpis.body.items.reduce((a: number, r: { calls: number }) => a + r.calls, 0);
    const answered = kpis.body.items.reduce((a: number, r: { answered: number }) => a + r.answered, 0);
    expect([calls, answered]).toEqual([3, 2]);

    const funnel = await t.call('GET', `/v1/funnel?${range}&flowId=support`, { token: t.tokens.analyst });
    expect(funnel.status).toBe(200);
    expect(funnel.body.items.find((s: { state: string }) => s.state === 'menu')?.reached).toBe(1);

    const csv = await t.call('GET', `/v1/calls.csv?${range}`, { token: t.tokens.analyst });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('leg_id');
    expect(lines.slice(1).join('\n')).toContain(legs[2]!);
  });

  it('streams live call-log events over SSE', async () => {
    const ac = new AbortController();
    const res = await fetch(`${t.base}/v1/calls/tail`, { headers: { authorization: `Bearer ${t.tokens.ops}` }, signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })().catch(() => {});
    const uuid = randomUUID();
    await waitFor(
      async () => {
        await t.redis.xadd(t.keys.callLogStream(), '*', 'e', JSON.stringify({ kind: 'leg.created', legId: uuid }));
        return text.includes(uuid);
      },
      { timeoutMs: 5_000, intervalMs: 300 },
    );
    expect(text).toMatch(/event: call\ndata: .*leg\.created/);
    ac.abort();
    await reading;
  });
});
