import { createLogger } from '@switchyard/core';
import { createTestDatabase, type TestDatabase, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../src/campaign/campaign-service.ts';
import { asDialerDb, type DialerDb } from '../src/db/dialer-schema.ts';
import { EslSwitch } from '../src/esl/esl-switch.ts';
import { pgNodeSource } from '../src/esl/pg-node-source.ts';
import { DialerRunner } from '../src/runner/dialer-runner.ts';
import { makeCampaign, seedContacts, ukNumbers } from './helpers.ts';
import { startNodes, startUas, type Uas } from './support/dialer-stack.ts';

const logger = createLogger('dialer-test', 'silent');
let t: TestDatabase;
let db: DialerDb;
const sims: FsSim[] = [];
const uas: Record<string, Uas> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  db = asDialerDb(t.db);
  sims.push(...(await startNodes(t, 2)));
  for (const kind of ['answer', 'busy', 'noanswer'] as const) uas[kind] = await startUas(kind);
});
afterAll(async () => {
  for (const u of Object.values(uas)) await u.proc.stop();
  for (const s of sims) await s.close();
  await t?.drop();
});

// Deterministic proportions by the number's last digit: 0-5 answer, 6-7 busy, 8-9 no answer.
function farEnd(phone: string): 'answer' | 'busy' | 'noanswer' {
  const d = Number(phone.at(-1));
  return d <= 5 ? 'answer' : d <= 7 ? 'busy' : 'noanswer';
}

describe('dialer against fs-sim over ESL and SIPp UAS', () => {
  it('originates through the least-loaded node, tracks every outcome with its cause, caps concurrency', async () => {
    const sw = new EslSwitch({ password: 'ClueCon', logger });
    const svc = new CampaignService(db);
    const c = await makeCampaign(t, { maxCps: 20, maxConcurrent: 8, maxAttempts: 1 });
    const phones = ukNumbers(40, 0);
    await seedContacts(t, c.id, phones);
    await svc.start(c.id, 'test');
    let maxUp = 0;
    const r = new DialerRunner({
      dialerId: 'esl-1',
      db,
      switch: sw,
      nodes: pgNodeSource(db, sw),
      logger,
      originateTimeoutSec: 3, // generous: under a loaded CI machine a 486 can take longer than 1 s to come back
      jobGraceMs: 3000,
      dialString: (_c, phone) => `sofia/external/${phone}@127.0.0.1:${uas[farEnd(phone)]!.port}`,
      // The "flow": talk for 150 ms, then hang up (the engine would run the campaign's IVR).
      onAnswered: async (call) => {
        setTimeout(() => void sw.hangup(call.node, call.callUuid, 'NORMAL_CLEARING').catch(() => {}), 150);
      },
    });
    const probe = setInterval(() => {
      maxUp = Math.max(maxUp, r.liveStats(c.id).inFlight, sims.reduce((n, s) => n + s.channels().length, 0));
    }, 10);
    await pgNodeSource(db, sw).activeNodes(); // opens the ESL connections
    await waitFor(() => sw.ready().length === 2, { timeoutMs: 5000 });
    await r.start();
    await waitFor(async () => (await svc.get(c.id)).state === 'completed', { timeoutMs: 40_000 });
    clearInterval(probe);
    await r.stop();
    await sw.close();
    for (const u of Object.values(uas)) expect(u.proc.child.exitCode).toBeNull();
    const want = { answer: 0, busy: 0, noanswer: 0 };
    for (const p of phones) want[farEnd(p)]++;
    const p = await svc.counts(c.id);
    expect(p).toMatchObject({ answered: want.answer, busy: want.busy, noAnswer: want.noanswer, failed: 0, unknown: 0, exhausted: want.busy + want.noanswer });
    const rows = await db.selectFrom('attempts').select(['phone_e164', 'outcome', 'hangup_cause', 'node', 'answered_at']).where('campaign_id', '=', c.id).execute();
    for (const row of rows) {
      const kind = farEnd(row.phone_e164);
      expect(row.hangup_cause).toBe(kind === 'answer' ? 'NORMAL_CLEARING' : kind === 'busy' ? 'USER_BUSY' : 'NO_ANSWER');
      expect(row.answered_at !== null).toBe(kind === 'answer');
    }
    expect(new Set(rows.map((x) => x.node))).toEqual(new Set(['fs0', 'fs1']));
    expect(maxUp).toBeLessThanOrEqual(8);
  });
});
