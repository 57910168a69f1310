import { TokenRepository } from '@switchyard/api';
import { freeUdpPort, type ManagedProcess, startProcess, waitFor } from '@switchyard/core/testing';
import { asDialerDb, CampaignService } from '@switchyard/dialer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ivrPath, placeSippCall, SIPP_BIN, waitCallRecord } from '../../scripts/start/test-call.ts';
import { type E2ePlatform, startE2ePlatform } from './helpers/e2e-platform.ts';

// One private platform for the file: SIPp → Kamailio → fs-sim → engine → IVR → recorder → Postgres.
let e: E2ePlatform;
let uas: ManagedProcess;
let uasPort: number;

beforeAll(async () => {
  uasPort = await freeUdpPort();
  // The campaign's far end: answers, waits for the IVR's BYE.
  uas = startProcess(SIPP_BIN, ['-sf', 'kamailio/sipp/uas-answer.xml', '-i', '127.0.0.1', '-p', String(uasPort), '-nostdin']);
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
    const call = await placeSippCall({ edge: e.edge, to: did, dtmf: ['1', '0'], firstDigitMs: 1_500, digitGapMs: 1_500, holdMs: 3_000 });
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
    const call = await placeSippCall({ edge: e.edge, to: '1000', dtmf: ['1'], firstDigitMs: 1_500, holdMs: 3_000 });
    const rec = await waitCallRecord(e.p.db, call.caller, call.startedAt, 15_000);
    expect(rec).not.toBeNull();
    expect(ivrPath(rec!)).toEqual(open ? ['hours', 'welcome', 'main', 'sales'] : ['hours', 'closed', 'closed_bye']);
    expect(rec!.legs[0]).toMatchObject({ did: '1000', flow_id: 'main-menu', hangup_cause: 'NORMAL_CLEARING' });
  }, 40_000);
});
