import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type ManagedProcess, startProcess, type TestDatabase, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignService } from '../src/campaign/campaign-service.ts';
import { asDialerDb } from '../src/db/dialer-schema.ts';
import { makeCampaign, seedContacts, ukNumbers } from './helpers.ts';
import { ChannelLedger } from './support/channel-ledger.ts';
import { type DialerProcess, dropRedisPrefix, startDialer, startNodes, startUas, type Uas } from './support/dialer-stack.ts';

// Acceptance: two real dialer processes (src/main.ts: EslSwitch over inbound ESL, nodes from
// the fleet table, call log through Redis) against two fs-sim nodes and a SIPp far end that
// answers and hangs up; one dialer is killed -9 mid-campaign and restarted in its slot. The
// call log the recorder writes (call_legs) and the switch's own record of its channels must
// both show zero double dials and no lost attempt.

const CONTACTS = 2000;
const MAX_CPS = 100;
const MAX_CONCURRENT = 60;
const redisPrefix = testRedisPrefix('dialer-mp');
let t: TestDatabase;
let dir: string;
let sims: FsSim[] = [];
let uas: Uas;
const ledger = new ChannelLedger();
const dialers: DialerProcess[] = [];
let recorder: ManagedProcess | undefined;
// The recorder runs as in production: its own process, consuming the call-log stream.
const recorderMain = fileURLToPath(new URL('../../recorder/src/main.ts', import.meta.url));

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'sy-dialer-mp-'));
  sims = await startNodes(t, 2);
  for (const [i, s] of sims.entries()) ledger.watch(`fs${i}`, s);
  uas = await startUas('answer-bye', { errorFile: path.join(dir, 'sipp-errors.log') });
  const rec = startProcess(process.execPath, ['--import', 'tsx', recorderMain], {
    env: { ...process.env, DATABASE_URL: t.url, REDIS_URL: testRedisUrl(), SWITCHYARD_REDIS_PREFIX: redisPrefix, RECORDER_CONSUMER: 'dialer-mp', RECORDER_CONCURRENCY: '1', LOG_LEVEL: 'warn' },
  });
  recorder = rec;
  await waitFor(() => rec.output().includes('recorder ready') || rec.child.exitCode !== null, { timeoutMs: 30_000, what: 'recorder ready' });
  if (rec.child.exitCode !== null) throw new Error(`recorder exited: ${rec.output()}`);
}, 60_000);

afterAll(async () => {
  for (const d of dialers) await d.proc.stop(10_000);
  await uas?.proc.stop();
  for (const s of sims) await s.close();
  await recorder?.stop(10_000);
  await dropRedisPrefix(redisPrefix);
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function dialer(id: string): Promise<DialerProcess> {
  return startDialer(t, { id, redisPrefix, dataDir: dir, dialString: `sofia/external/{number}@127.0.0.1:${uas.port}` }).then((d) => {
    dialers.push(d);
    return d;
  });
}

describe('several dialer processes against fs-sim and SIPp', () => {
  it(`two dialers on ${CONTACTS} contacts, one killed -9 and restarted: zero double dials, no lost attempt`, async () => {
    const svc = new CampaignService(asDialerDb(t.db));
    const c = await makeCampaign(t, { maxCps: MAX_CPS, maxConcurrent: MAX_CONCURRENT, retryPolicy: { failed: { delaySec: 0 } } });
    await seedContacts(t, c.id, ukNumbers(CONTACTS, 0));
    const [a] = await Promise.all([dialer('A'), dialer('B')]);
    await svc.start(c.id, 'test');
    const attempts = async () => Number((await t.db.selectFrom('attempts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await waitFor(async () => (await attempts()) >= 700, { timeoutMs: 40_000, what: '700 attempts' });
    await a!.proc.kill9();
    const killedAt = Date.now();
    const a2 = await dialer('A'); // same slot: resolves what A left open
    await waitFor(async () => (await svc.get(c.id)).state === 'completed', { timeoutMs: 60_000, what: 'completion' }).catch(async (err) => {
      const open = await asDialerDb(t.db).selectFrom('attempts').select(['dialler_id', 'call_uuid', 'node', 'started_at', 'answered_at']).where('ended_at', 'is', null).execute();
      const up = [...ledger.channels.values()].filter((ch) => ch.hungupAt === null);
      throw new Error(`${err}\ncounts ${JSON.stringify(await svc.counts(c.id))}\nopen ${JSON.stringify(open)}\nup on the switch ${JSON.stringify(up)}\nA2: ${a2.proc.output()}\nB: ${dialers[1]!.proc.output()}\nSIPp: ${uas.proc.output().slice(-2000)}\nSIPp errors: ${existsSync(path.join(dir, 'sipp-errors.log')) ? readFileSync(path.join(dir, 'sipp-errors.log'), 'utf8').slice(-6000) : '(none)'}`);
    });

    // The dialers' own books: every attempt closed, every contact ends answered.
    const rows = await t.db.selectFrom('attempts').select(['contact_id', 'call_uuid', 'started_at', 'ended_at', 'outcome', 'hangup_cause', 'dialler_id']).where('campaign_id', '=', c.id).execute();
    expect(rows.filter((r) => r.ended_at === null)).toEqual([]);
    const counts = await svc.counts(c.id);
    expect(counts).toMatchObject({ answered: CONTACTS, pending: 0, dialling: 0 });
    // Attempts A left open were resolved by A's restart (only A's slot closes A's attempts);
    // unanswered ones are `unknown` and retried (the only way a contact gets a second attempt).
    const leftOpen = rows.filter((r) => r.dialler_id === 'A' && r.started_at.getTime() < killedAt && r.ended_at!.getTime() > killedAt);
    expect(leftOpen.length).toBeGreaterThan(0);
    expect(leftOpen.filter((r) => r.outcome !== 'answered' && r.outcome !== 'unknown')).toEqual([]);
    expect(rows.length).toBe(CONTACTS + counts.unknown);
    expect(new Set(rows.map((r) => r.dialler_id))).toEqual(new Set(['A', 'B']));

    // The call log (dialer → Redis stream → recorder → call_legs): exactly one closed leg per
    // attempt, keyed by its call UUID and start, on the attempt's contact.
    const legsOf = () => t.db.selectFrom('call_legs').select(['leg_id', 'started_at', 'ended_at', 'contact_id', 'attempt_id', 'hangup_cause', 'node']).where('campaign_id', '=', c.id).execute();
    await waitFor(async () => (await legsOf()).filter((l) => l.ended_at !== null).length >= rows.length, { timeoutMs: 30_000, what: 'call log caught up' });
    const legs = await legsOf();
    expect(legs.length).toBe(rows.length);
    const legById = new Map(legs.map((l) => [l.leg_id, l]));
    for (const r of rows) {
      const leg = legById.get(r.call_uuid!);
      expect(leg, `leg of attempt ${r.call_uuid}`).toBeDefined();
      expect({ contact: leg!.contact_id, started: leg!.started_at.getTime(), ended: leg!.ended_at?.getTime(), cause: leg!.hangup_cause }).toEqual({
        contact: r.contact_id,
        started: r.started_at.getTime(),
        ended: r.ended_at!.getTime(),
        cause: r.hangup_cause,
      });
    }
    const byContact = new Map<string, { start: number; end: number }[]>();
    for (const l of legs) byContact.set(l.contact_id!, [...(byContact.get(l.contact_id!) ?? []), { start: l.started_at.getTime(), end: l.ended_at!.getTime() }]);
    expect(byContact.size).toBe(CONTACTS);
    const overlaps: string[] = [];
    for (const [contact, ls] of byContact) {
      ls.sort((x, y) => x.start - y.start);
      for (let i = 1; i < ls.length; i++) if (ls[i]!.start < ls[i - 1]!.end) overlaps.push(contact);
    }
    expect(overlaps).toEqual([]);
    expect(new Set(legs.map((l) => l.node))).toEqual(new Set(['fs0', 'fs1']));

    // The switch's own record: every channel it created belongs to an attempt of the contact
    // it carries and ended; no contact ever had two channels alive at once; one shared
    // concurrency cap and one shared pace across both processes (not one each).
    const byUuid = new Map(rows.map((r) => [r.call_uuid!, r]));
    const channels = [...ledger.channels.values()];
    expect(channels.length).toBeGreaterThanOrEqual(CONTACTS);
    expect(channels.filter((ch) => byUuid.get(ch.uuid)?.contact_id !== ch.contactId).map((ch) => ch.uuid)).toEqual([]);
    expect(channels.filter((ch) => ch.destroyedAt === null).map((ch) => ch.uuid)).toEqual([]);
    expect(ledger.doubleDials()).toEqual([]);
    expect(ledger.maxConcurrent()).toBeLessThanOrEqual(MAX_CONCURRENT);
    const starts = channels.map((ch) => ch.createdAt).sort((x, y) => x - y);
    expect((starts.length - 1) / ((starts.at(-1)! - starts[0]!) / 1000)).toBeLessThan(MAX_CPS * 1.1);
    expect(uas.proc.child.exitCode).toBeNull();
  }, 150_000);
});
