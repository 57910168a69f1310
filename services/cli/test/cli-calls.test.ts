import { randomUUID } from 'node:crypto';
import { sleep } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../api/test/support/api-harness.ts';
import { runCli } from './support/run-cli.ts';

let t: TestApi;
let env: Record<string, string>;
const leg = randomUUID();

beforeAll(async () => {
  t = await startTestApi({ ports: 'all' });
  env = { SWITCHYARD_API_URL: t.base, SWITCHYARD_TOKEN: t.tokens.analyst };
  const at = new Date(Date.now() - 120_000);
  await t.tdb.db
    .insertInto('call_legs')
    .values({ leg_id: leg, started_at: at, direction: 'inbound', caller: '+442070000001', node: 'fs1', answered_at: at, ended_at: new Date(), disposition: 'answered', talk_ms: 60_000 })
    .execute();
});
afterAll(async () => {
  await t?.close();
});

describe('switchyard calls and kpis', () => {
  it('searches (table and --json), exports CSV and reports KPIs', async () => {
    const table = await runCli(['calls', 'search', '--node', 'fs1'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^LEG_ID\s+STARTED_AT/);
    expect(table.stdout).toContain(leg);
    const json = JSON.parse((await runCli(['calls', 'search', '--caller', '+442070000001', '--json'], env)).stdout);
    expect(json.items.map((c: { leg_id: string }) => c.leg_id)).toEqual([leg]);
    const csv = await runCli(['calls', 'export'], env);
    expect(csv.stdout.split('\n')[0]).toContain('leg_id');
    expect(csv.stdout).toContain(leg);
    const kpis = JSON.parse((await runCli(['kpis', '--interval', 'day', '--json'], env)).stdout);
    expect(kpis.reduce((a: number, r: { answered: number }) => a + r.answered, 0)).toBe(1);
    const bad = await runCli(['calls', 'search', '--from', 'yesterday-ish'], env);
    expect(bad.code).toBe(6);
  });

  it('tails live call-log events', async () => {
    const tail = runCli(['calls', 'tail', '--max', '1', '--json'], env);
    const id = randomUUID();
    let out: Awaited<typeof tail> | null = null;
    void tail.then((r) => (out = r));
    for (let i = 0; i < 60 && !out; i++) {
      await t.redis.xadd(t.keys.callLogStream(), '*', 'e', JSON.stringify({ type: 'leg.created', legId: id }));
      await sleep(250);
    }
    const r = await tail;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n')[0]!).event).toMatchObject({ type: 'leg.created', legId: id });
  });
});
