import { TokenRepository } from '@switchyard/api';
import { freeUdpPort, type ManagedProcess, startProcess, waitFor } from '@switchyard/core/testing';
import { asDialerDb, CampaignService } from '@switchyard/dialer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/start/service-process.ts';
import { ivrPath, placeSippCall, SIPP_BIN, waitCallRecord } from '../../scripts/start/test-call.ts';
import { type E2ePlatform, startE2ePlatform } from './helpers/e2e-platform.ts';

// One private platform for the file: SIPp → Kamailio → fs-sim → engine → IVR → recorder → Postgres.
let e: E2ePlatform;
let uas: ManagedProcess;
let uasPort: number;

beforeAll(async () => {
  uasPort = await freeUdpPort();
  // The campaign's far end: answers, waits for the IVR's BYE.
  uas = startProcess(SIPP_BIN, ['-sf', `${REPO_ROOT}kamailio/sipp/uas-answer.xml`, '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin']);
  e = await startE2ePlatform({ tag: 'e2e', dialString: `sofia/internal/{number}@127.0.0.1:${uasPort}` });
}, 90_000);

afterAll(async () => {
  await uas?.stop();
  await e?.stop();
}, 60_000);

/** What `main-menu` does now: its first branch is the London opening hours. */
function londonOpen(now = new Date()): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].includes(get('weekday')) && minutes >= 8 * 60 && minutes < 20 * 60;
}

describe('a call through the edge into the IVR, logged in Postgres', () => {
  it.each([
    ['inbound ESL (park)', '1001'],
    ['outbound ESL (socket)', '2001'],
  ])('%s: DTMF 1 over SIP INFO reaches the sales queue; the row and the path are logged', async (_n, did) => {
    const call = await placeSippCall({ edge: e.edge, to: did, dtmf: ['1', '0'], firstDigitMs: 1_500, digitGapMs: 1_500, holdMs: 3_000, requireRemoteBye: true });
    expect(call.ok, call.output).toBe(true);
    const rec = await waitCallRecord(e.p.db, call.caller, call.startedAt, 15_000);
    expect(rec, `no call-log row for ${call.caller}`).not.toBeNull();
    expect(ivrPath(rec!)).toEqual(['welcome', 'main', 'sales']);
    expect(rec!.steps.find((s) => s.kind === 'digits')?.detail).toMatchObject({ digits: '1', valid: true });
    const leg = rec!.legs[0]!;
    expect(leg).toMatchObject({ direction: 'inbound', did, flow_id: 'main-menu-24h', hangup_cause: 'NORMAL_CLEARING', transferred_to: 'queue:sales', ivr_last_state: 'sales' });
    expect(leg.answered_at).not.toBeNull();
    expect(['fs1', 'fs2']).toContain(leg.node);
  }, 40_000);

  it('the shipped main menu follows the opening hours', async () => {
    const open = londonOpen();
    const call = await placeSippCall({ edge: e.edge, to: '1000', dtmf: ['1'], firstDigitMs: 1_500, holdMs: 3_000, requireRemoteBye: true });
    expect(call.ok, call.output).toBe(true);
    const rec = await waitCallRecord(e.p.db, call.caller, call.startedAt, 15_000);
    expect(rec).not.toBeNull();
    expect(ivrPath(rec!)).toEqual(open ? ['hours', 'welcome', 'main', 'sales'] : ['hours', 'closed', 'closed_bye']);
    expect(rec!.legs[0]).toMatchObject({ did: '1000', flow_id: 'main-menu', hangup_cause: 'NORMAL_CLEARING' });
  }, 40_000);
});

describe('a 50-contact campaign through the dialer', () => {
  it('dials every contact once through the nodes to a SIPp UAS; every attempt ends answered and is logged', async () => {
    const svc = new CampaignService(asDialerDb(e.p.db));
    const c = await svc.create(
      { name: 'e2e-50', flowId: 'campaign-outbound', callerId: '+442071234567', gateway: 'e2e', allowedPrefixes: ['+44'], maxCps: 25, maxConcurrent: 50, maxAttempts: 1 },
      'e2e',
    );
    const phones = Array.from({ length: 50 }, (_, i) => `+447911${String(500_000 + i)}`);
    await e.p.db
      .insertInto('contacts')
      .values(phones.map((p) => ({ campaign_id: c.id, phone_e164: p, data: '{}', next_attempt_at: new Date(0) })))
      .execute();
    await svc.start(c.id, 'e2e');
    const counts = await waitFor(
      async () => {
        const n = await svc.counts(c.id);
        return n.pending === 0 && n.dialling === 0 && n.attempts >= 50 ? n : undefined;
      },
      { what: 'every contact dialled and finished', timeoutMs: 60_000 },
    );
    expect(counts.attempts).toBe(50);
    expect(counts.answered).toBe(50);
    expect(counts.failed).toBe(0);
    // Every attempt's leg reaches the call log (the recorder may trail by a batch).
    const legs = await waitFor(
      async () => {
        const rows = await e.p.db.selectFrom('call_legs').select(['attempt_id', 'ended_at', 'campaign_id']).where('campaign_id', '=', c.id).execute();
        return rows.length >= 50 && rows.every((r) => r.ended_at !== null) ? rows : undefined;
      },
      { what: '50 campaign legs ended in call_legs', timeoutMs: 30_000 },
    );
    expect(new Set(legs.map((l) => l.attempt_id)).size).toBe(50);
  }, 120_000);
});

describe('a node drained during traffic', () => {
  it('loses no call: the drained node takes no new calls, SIPp sees no failure, every call is logged', async () => {
    const { token } = await new TokenRepository(e.p.db).create('e2e-admin', 'admin', 'e2e');
    const since = new Date();
    const load = placeSippCall({ edge: e.edge, to: '1001', dtmf: ['1', '0'], firstDigitMs: 1_200, digitGapMs: 800, holdMs: 2_000, calls: 48, rate: 6 });
    await new Promise((r) => setTimeout(r, 2_000));
    const res = await fetch(`${e.p.apiUrl}/v1/nodes/fs1/drain`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status, await res.text()).toBeLessThan(300);
    const drainedAt = Date.now();
    const call = await load;
    expect(call.failed, call.output).toBe(0);
    expect(call.successful).toBe(48);
    const legs = await waitFor(
      async () => {
        const rows = await e.p.db.selectFrom('call_legs').select(['node', 'started_at', 'ended_at', 'hangup_cause']).where('did', '=', '1001').where('started_at', '>=', since).execute();
        return rows.length >= 48 && rows.every((r) => r.ended_at !== null) ? rows : undefined;
      },
      { what: '48 logged legs', timeoutMs: 30_000 },
    );
    expect(legs).toHaveLength(48);
    expect(legs.every((l) => l.hangup_cause === 'NORMAL_CLEARING')).toBe(true);
    // Kamailio's reload lands within a second; later calls go to fs2 only. The margin is wide
    // because a leg's start is stamped at the node, which a loaded machine can delay.
    const late = legs.filter((l) => new Date(l.started_at).getTime() > drainedAt + 4_000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((l) => l.node === 'fs2')).toBe(true);
    const fs1 = await e.p.db.selectFrom('nodes').select('state').where('name', '=', 'fs1').executeTakeFirstOrThrow();
    expect(['draining', 'removed']).toContain(fs1.state);
  }, 90_000);
});
