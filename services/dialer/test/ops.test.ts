import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, freeUdpPort, type TestDatabase, testRedisPrefix, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../src/campaign/campaign-service.ts';
import { asDialerDb } from '../src/db/dialer-schema.ts';
import { makeCampaign, seedContacts, ukNumbers } from './helpers.ts';
import { type DialerProcess, dropRedisPrefix, startDialer, startNodes, startUas, type Uas } from './support/dialer-stack.ts';

// The dialer process's ops port: /metrics moves while a campaign dials against fs-sim and
// SIPp; SIGTERM turns /ready 503 at once while /health stays 200, calls in flight finish,
// then the process exits 0.

const TALK_MS = 4000;
let t: TestDatabase;
let dir: string;
let sims: FsSim[] = [];
const uas: Uas[] = [];
let dialer: DialerProcess | undefined;
const redisPrefix = testRedisPrefix('dialer-ops');

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'sy-dialer-ops-'));
  sims = await startNodes(t, 1);
  // Two far ends on one port, told apart by address: the campaign's gateway picks one.
  const port = await freeUdpPort();
  uas.push(await startUas('answer-bye', { ip: '127.0.0.1', port, talk: { ms: TALK_MS, dir } }));
  uas.push(await startUas('busy', { ip: '127.0.0.2', port }));
  dialer = await startDialer(t, { id: 'ops', redisPrefix, dataDir: dir, dialString: `sofia/external/{number}@{gateway}:${port}` });
}, 60_000);

afterAll(async () => {
  await dialer?.proc.stop(10_000);
  for (const u of uas) await u.proc.stop();
  for (const s of sims) await s.close();
  await dropRedisPrefix(redisPrefix);
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** The value of one sample in a Prometheus text exposition (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const set = line.slice(name.length + 1, line.indexOf('}'));
    if (want.every((w) => set.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('dialer ops port', () => {
  it('/metrics moves while dialling; SIGTERM: /ready 503, /health 200, calls finish, exit 0', async () => {
    const d = dialer!;
    const svc = new CampaignService(asDialerDb(t.db));
    expect((await d.ops('/health')).status).toBe(200);
    await waitFor(async () => (await d.ops('/ready')).status === 200, { timeoutMs: 15_000, what: '/ready 200 (ESL up)' });

    const answer = await makeCampaign(t, { gateway: '127.0.0.1', maxCps: 10, maxConcurrent: 4, maxAttempts: 1 });
    const busy = await makeCampaign(t, { gateway: '127.0.0.2', maxCps: 10, maxConcurrent: 4, maxAttempts: 1 });
    await seedContacts(t, answer.id, ukNumbers(40, 0));
    await seedContacts(t, busy.id, ukNumbers(6, 100));
    await svc.start(answer.id, 'test');
    await svc.start(busy.id, 'test');

    const metrics = async () => (await d.ops('/metrics')).text();
    await waitFor(async () => sample(await metrics(), 'switchyard_dialer_originates_total', { campaign: answer.id }) >= 1, { timeoutMs: 20_000, what: 'originates counted' });
    // Busy attempts are the dialer's to count; answered ones are the engine's (not here).
    const m = await waitFor(async () => {
      const text = await metrics();
      return sample(text, 'switchyard_calls_total', { direction: 'outbound', disposition: 'busy' }) === 6 ? text : null;
    }, { timeoutMs: 20_000, what: 'busy calls counted' });
    expect(sample(m, 'switchyard_calls_total', { direction: 'outbound', disposition: 'answered' })).toBe(0);
    expect(m).toContain('switchyard_dialer_abandon_budget_ratio');
    expect(sample(m, 'switchyard_esl_connected', { node: 'fs0' })).toBe(1);
    const before = sample(m, 'switchyard_dialer_originates_total', { campaign: answer.id });
    await waitFor(async () => sample(await metrics(), 'switchyard_dialer_originates_total', { campaign: answer.id }) > before, { timeoutMs: 20_000, what: 'originates moving' });
    await waitFor(async () => sample(await metrics(), 'switchyard_dialer_concurrent', { campaign: answer.id }) >= 1, { timeoutMs: 10_000, what: 'calls up' });

    // SIGTERM while calls talk (TALK_MS): not ready at once, still alive, then a clean exit.
    const inFlight = await asDialerDb(t.db).selectFrom('attempts').select(['id']).where('campaign_id', '=', answer.id).where('ended_at', 'is', null).execute();
    expect(inFlight.length).toBeGreaterThan(0);
    const termAt = Date.now();
    d.proc.child.kill('SIGTERM');
    await waitFor(async () => (await d.ops('/ready')).status === 503, { timeoutMs: 5_000, what: '/ready 503' });
    const health = await d.ops('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', draining: true });
    expect(d.proc.child.exitCode).toBeNull();
    expect(await Promise.race([d.proc.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))])).toBe(0);

    // Drained, not cut: the calls up at SIGTERM ended normally; nothing was dialled after it.
    const rows = await asDialerDb(t.db).selectFrom('attempts').select(['id', 'outcome', 'hangup_cause', 'started_at', 'ended_at']).where('campaign_id', '=', answer.id).execute();
    expect(rows.filter((r) => r.ended_at === null)).toEqual([]);
    const drained = rows.filter((r) => inFlight.some((f) => f.id === r.id));
    expect(drained.map((r) => [r.outcome, r.hangup_cause])).toEqual(drained.map(() => ['answered', 'NORMAL_CLEARING']));
    expect(rows.filter((r) => r.started_at.getTime() > termAt + 1000)).toEqual([]);
    expect(rows.length).toBeLessThan(40);
  }, 120_000);
});
