import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type ManagedProcess, startProcess, type TestDatabase, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../src/campaign/campaign-service.ts';
import { asDialerDb } from '../src/db/dialer-schema.ts';
import { makeCampaign, seedContacts, ukNumbers } from './helpers.ts';

const redisPrefix = testRedisPrefix('dialer-mp');
const child = fileURLToPath(new URL('./support/dialer-child.ts', import.meta.url));
let t: TestDatabase;
let dir: string;
const procs: ManagedProcess[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'sy-dialer-'));
});
afterAll(async () => {
  for (const p of procs) await p.stop();
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function spawnDialer(id: string): ManagedProcess {
  const p = startProcess(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, DATABASE_URL: t.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: redisPrefix, DIALER_ID: id, LOG_FILE: path.join(dir, `${id}.jsonl`), TALK_MS: '200' },
  });
  procs.push(p);
  return p;
}

interface LogLine {
  type: string;
  legId: string;
  contactId?: string;
  at: string;
  dialer: string;
}

describe('several dialer processes', () => {
  it('two dialers on 2,000 contacts, one killed -9 and restarted: zero double dials, no lost attempt', async () => {
    const svc = new CampaignService(asDialerDb(t.db));
    const c = await makeCampaign(t, { maxCps: 100, maxConcurrent: 40, retryPolicy: { failed: { delaySec: 0 } } });
    await seedContacts(t, c.id, ukNumbers(2000, 0));
    await svc.start(c.id, 'test');
    const a = spawnDialer('A');
    const b = spawnDialer('B');
    await waitFor(() => a.output().includes('ready') && b.output().includes('ready'), { timeoutMs: 20_000 });
    const attempts = async () => Number((await t.db.selectFrom('attempts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await waitFor(async () => (await attempts()) >= 700, { timeoutMs: 30_000 });
    await a.kill9();
    const a2 = spawnDialer('A'); // same slot: resolves what A left open
    await waitFor(async () => (await svc.get(c.id)).state === 'completed', { timeoutMs: 45_000, what: `completion; A2: ${a2.output()}` });

    const rows = await t.db.selectFrom('attempts').select(['contact_id', 'attempt_no', 'ended_at', 'outcome', 'hangup_cause', 'call_uuid']).where('campaign_id', '=', c.id).execute();
    expect(rows.filter((r) => r.ended_at === null)).toEqual([]);
    const counts = await svc.counts(c.id);
    expect(counts).toMatchObject({ answered: 2000, pending: 0, dialling: 0 });
    // Attempts A left open were resolved by A's restart (answered ones stay answered; the rest
    // are unknown and retried — the only way a contact gets a second attempt).
    expect(rows.filter((r) => r.hangup_cause === 'DIALER_RESTART').length).toBeGreaterThan(0);
    expect(rows.length).toBe(2000 + counts.unknown);

    // The call log: every leg created was closed, and no contact ever had two legs up at once.
    const lines: LogLine[] = ['A', 'B']
      .flatMap((id) => readFileSync(path.join(dir, `${id}.jsonl`), 'utf8').trim().split('\n'))
      .map((l) => JSON.parse(l));
    const created = lines.filter((l) => l.type === 'leg.created');
    const hungup = new Map(lines.filter((l) => l.type === 'leg.hungup').map((l) => [l.legId, Date.parse(l.at)]));
    // Attempts written but killed before their originate was sent have no leg; recovery closed them.
    const legIds = new Set(created.map((l) => l.legId));
    const unsent = rows.filter((r) => !legIds.has(r.call_uuid!));
    expect(unsent.filter((r) => !(r.outcome === 'unknown' && r.hangup_cause === 'DIALER_RESTART'))).toEqual([]);
    expect(created.length).toBe(rows.length - unsent.length);
    expect(created.filter((l) => !hungup.has(l.legId)).map((l) => l.legId)).toEqual([]);
    const byContact = new Map<string, { start: number; end: number }[]>();
    for (const l of created) {
      const legs = byContact.get(l.contactId!) ?? [];
      legs.push({ start: Date.parse(l.at), end: hungup.get(l.legId)! });
      byContact.set(l.contactId!, legs);
    }
    expect(byContact.size).toBe(2000);
    let overlaps = 0;
    for (const legs of byContact.values()) {
      legs.sort((x, y) => x.start - y.start);
      for (let i = 1; i < legs.length; i++) if (legs[i]!.start < legs[i - 1]!.end) overlaps++;
    }
    expect(overlaps).toBe(0);
    // One shared pace and one concurrency cap across both processes (not one each).
    const starts = created.map((l) => Date.parse(l.at)).sort((x, y) => x - y);
    const rate = (starts.length - 1) / ((starts.at(-1)! - starts[0]!) / 1000);
    expect(rate).toBeLessThan(100 * 1.1);
    const edges = [...byContact.values()].flat().flatMap((l) => [[l.start, 1] as const, [l.end, -1] as const]);
    edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let up = 0;
    let maxUp = 0;
    for (const [, d] of edges) maxUp = Math.max(maxUp, (up += d));
    expect(maxUp).toBeLessThanOrEqual(40);
    // Both processes dialled.
    expect(new Set(created.map((l) => l.dialer))).toEqual(new Set(['A', 'B']));
  });
});
