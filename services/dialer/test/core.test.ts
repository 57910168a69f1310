import { describe, expect, it } from 'vitest';
import { abandonPacingFactor, abandonRatePct, isAbandoned } from '../src/core/abandon-budget.ts';
import { unansweredDisposition } from '../src/core/call-disposition.ts';
import { isWithinWindow, nextWindowOpen } from '../src/core/calling-window.ts';
import { nextCampaignState } from '../src/core/campaign-state.ts';
import { resolveTimeZone, timeZoneFromNumber } from '../src/core/contact-timezone.ts';
import { CsvParser, csvField } from '../src/core/csv-parser.ts';
import { outcomeFromCause, parseOriginateResult } from '../src/core/outcome.ts';
import { toE164 } from '../src/core/phone-number.ts';
import { isAllowedDestination } from '../src/core/prefix-guard.ts';
import { decideRetry, retryPolicySchema } from '../src/core/retry-policy.ts';
import { TokenBucket } from '../src/core/token-bucket.ts';

describe('token bucket', () => {
  it('allows the burst, then exactly the rate', () => {
    const b = new TokenBucket(10, 3, 0);
    let n = 0;
    while (b.tryTake(0)) n++;
    expect(n).toBe(3);
    let taken = 0;
    for (let t = 1; t <= 10_000; t++) if (b.tryTake(t)) taken++;
    expect(taken).toBe(100); // 10 s at 10/s
    expect(b.msUntilNext(10_000)).toBe(100);
  });
  it('rate changes keep accrued tokens but cap at the new burst', () => {
    const b = new TokenBucket(1, 5, 0);
    b.setRate(2, 0, 2);
    expect(b.available(0)).toBe(2);
    expect(() => new TokenBucket(0, 1, 0)).toThrow(RangeError);
  });
});

describe('abandon budget', () => {
  it('defines abandoned once', () => {
    expect(isAbandoned({ answeredAt: 0, connectedAt: 500, machine: false })).toBe(false);
    expect(isAbandoned({ answeredAt: 0, connectedAt: 2500, machine: false })).toBe(true);
    expect(isAbandoned({ answeredAt: 0, connectedAt: null, machine: false })).toBe(true);
    expect(isAbandoned({ answeredAt: 0, connectedAt: null, machine: true })).toBe(false);
    expect(abandonRatePct(200, 6)).toBe(3);
  });
  it('throttles before the budget is exceeded', () => {
    expect(abandonPacingFactor({ liveAnswered: 1000, abandoned: 5, budgetPct: 3 })).toBe(1);
    const mid = abandonPacingFactor({ liveAnswered: 1000, abandoned: 22, budgetPct: 3 });
    expect(mid).toBeGreaterThan(0.05);
    expect(mid).toBeLessThan(1);
    // 29/1000 is under 3 %, but one more abandon would make 30/1001 ≈ 2.997 %: nearly at budget.
    expect(abandonPacingFactor({ liveAnswered: 1000, abandoned: 29, budgetPct: 3 })).toBeLessThan(0.1);
    expect(abandonPacingFactor({ liveAnswered: 1000, abandoned: 30, budgetPct: 3 })).toBe(0.05);
    // Monotone: more abandons never speed up.
    let prev = 1;
    for (let a = 0; a <= 40; a++) {
      const f = abandonPacingFactor({ liveAnswered: 1000, abandoned: a, budgetPct: 3 });
      expect(f).toBeLessThanOrEqual(prev);
      prev = f;
    }
  });
});

describe('calling windows', () => {
  const weekdays = [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }];
  // Tue 24 Nov 2026 14:00 UTC = 09:00 in New York, 14:00 London, 23:00 Tokyo.
  const t = Date.UTC(2026, 10, 24, 14, 0);
  it('evaluates in the contact zone', () => {
    expect(isWithinWindow(t, 'America/New_York', weekdays, [])).toBe(true);
    expect(isWithinWindow(t - 60_000, 'America/New_York', weekdays, [])).toBe(false);
    expect(isWithinWindow(t, 'Europe/London', weekdays, [])).toBe(true);
    expect(isWithinWindow(t, 'Asia/Tokyo', weekdays, [])).toBe(false);
    expect(isWithinWindow(t, 'Europe/London', weekdays, ['2026-11-24'])).toBe(false);
  });
  it('finds the next opening in the zone', () => {
    expect(nextWindowOpen(t, 'Asia/Tokyo', weekdays, [])).toBe(Date.UTC(2026, 10, 25, 0, 0)); // Wed 09:00 JST
    expect(nextWindowOpen(t - 3600_000, 'America/New_York', weekdays, [])).toBe(t);
    // Friday 20:30 in London → Monday 09:00.
    expect(nextWindowOpen(Date.UTC(2026, 10, 27, 20, 30), 'Europe/London', weekdays, [])).toBe(Date.UTC(2026, 10, 30, 9));
    // Holiday on Monday → Tuesday.
    expect(nextWindowOpen(Date.UTC(2026, 10, 27, 20, 30), 'Europe/London', weekdays, ['2026-11-30'])).toBe(
      Date.UTC(2026, 11, 1, 9),
    );
    expect(nextWindowOpen(t, 'UTC', [], [])).toBeNull();
  });
  it('respects DST', () => {
    // Sunday 29 Mar 2026: London moves to BST; Monday 09:00 BST = 08:00 UTC.
    expect(nextWindowOpen(Date.UTC(2026, 2, 28, 12), 'Europe/London', weekdays, [])).toBe(Date.UTC(2026, 2, 30, 8));
  });
});

describe('time zone resolution', () => {
  it('prefers the contact, then an unambiguous number, then the campaign', () => {
    expect(resolveTimeZone('Asia/Tokyo', '+33142685300', 'UTC')).toEqual({ tz: 'Asia/Tokyo', source: 'contact' });
    expect(resolveTimeZone(null, '+33142685300', 'UTC')).toEqual({ tz: 'Europe/Paris', source: 'number' });
    expect(resolveTimeZone(null, '+12125550100', 'America/Chicago')).toEqual({ tz: 'America/New_York', source: 'number' });
    expect(resolveTimeZone(null, '+18505550100', 'America/Chicago')).toEqual({ tz: 'America/Chicago', source: 'campaign' });
    expect(resolveTimeZone('Mars/Olympus', '+442079460018', 'UTC').source).toBe('number');
  });
  it('derives US and Canadian zones from area codes wholly in one zone, never from straddling ones', () => {
    const cases: [string, string | null][] = [
      ['+12125550100', 'America/New_York'], // Manhattan
      ['+13125550100', 'America/Chicago'], // Chicago
      ['+13035550100', 'America/Denver'], // Denver
      ['+16025550100', 'America/Phoenix'], // Phoenix: no DST
      ['+14155550100', 'America/Los_Angeles'], // San Francisco
      ['+18085550100', 'Pacific/Honolulu'],
      ['+13135550100', 'America/Detroit'],
      ['+14165550100', 'America/Toronto'],
      ['+16045550100', 'America/Vancouver'],
      ['+14035550100', 'America/Edmonton'],
      ['+19025550100', 'America/Halifax'],
      ['+18505550100', null], // Florida panhandle: Eastern and Central
      ['+19285550100', null], // northern Arizona: the Navajo Nation keeps DST
      ['+19075550100', null], // Alaska: the Aleutians
      ['+16055550100', null], // South Dakota: Central and Mountain
      ['+12505550100', null], // British Columbia interior: Pacific and Mountain
      ['+18675550100', null], // the territories
    ];
    for (const [n, tz] of cases) expect([n, timeZoneFromNumber(n)]).toEqual([n, tz]);
    // Caribbean NANP countries resolve by country; malformed +1 numbers derive nothing.
    expect(timeZoneFromNumber('+18765550100')).toBe('America/Jamaica');
    expect(timeZoneFromNumber('+1212555010')).toBeNull();
  });
  it('lists only valid IANA zones for contacts the claimer evaluates', () => {
    for (let area = 200; area <= 999; area++) {
      const tz = timeZoneFromNumber(`+1${area}5550100`);
      if (tz) expect(() => new Intl.DateTimeFormat('en', { timeZone: tz })).not.toThrow();
    }
  });
});

describe('outcomes', () => {
  it('parses BACKGROUND_JOB bodies', () => {
    expect(parseOriginateResult('+OK 0f6d3c1e-1111-2222-3333-444455556666\n')).toEqual({
      ok: true,
      uuid: '0f6d3c1e-1111-2222-3333-444455556666',
    });
    expect(parseOriginateResult('-ERR USER_BUSY\n')).toMatchObject({ ok: false, outcome: 'busy', cause: 'USER_BUSY' });
    expect(parseOriginateResult('-ERR NO_ANSWER\n')).toMatchObject({ outcome: 'no_answer' });
    expect(parseOriginateResult('-ERR CALL_REJECTED\n')).toMatchObject({ outcome: 'failed', permanent: true });
    expect(parseOriginateResult('-ERR NORMAL_TEMPORARY_FAILURE\n')).toMatchObject({ outcome: 'failed', permanent: false });
    expect(parseOriginateResult('garbage')).toMatchObject({ outcome: 'failed', cause: 'BAD_JOB_REPLY' });
    expect(outcomeFromCause('no_user_response').outcome).toBe('no_answer');
  });
});

describe('call dispositions', () => {
  it('names unanswered outcomes for switchyard_calls_total and leaves answered ones to the engine', () => {
    expect(unansweredDisposition('busy', 'USER_BUSY')).toBe('busy');
    expect(unansweredDisposition('no_answer', 'NO_ANSWER')).toBe('no_answer');
    expect(unansweredDisposition('no_answer', 'ORIGINATOR_CANCEL')).toBe('cancelled');
    expect(unansweredDisposition('failed', 'CALL_REJECTED')).toBe('failed');
    expect(unansweredDisposition('unknown', 'DIALER_RESTART')).toBe('failed');
    expect(unansweredDisposition('machine', 'NORMAL_CLEARING')).toBe('machine');
    expect(unansweredDisposition('answered', 'NORMAL_CLEARING')).toBeNull();
    expect(unansweredDisposition('abandoned', 'NORMAL_CLEARING')).toBeNull();
  });
});

describe('retry policy', () => {
  const policy = retryPolicySchema.parse({ busy: { delaySec: 60, multiplier: 2, maxDelaySec: 200 } });
  it('backs off per outcome and honours max attempts', () => {
    expect(decideRetry('busy', 1, policy, 5)).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(decideRetry('busy', 2, policy, 5)).toEqual({ kind: 'retry', delayMs: 120_000 });
    expect(decideRetry('busy', 3, policy, 5)).toEqual({ kind: 'retry', delayMs: 200_000 });
    expect(decideRetry('busy', 5, policy, 5)).toEqual({ kind: 'exhausted', reason: 'max_attempts' });
    expect(decideRetry('machine', 1, policy, 5)).toEqual({ kind: 'exhausted', reason: 'no_retry' });
    expect(decideRetry('answered', 1, policy, 5)).toEqual({ kind: 'done' });
    expect(decideRetry('failed', 1, policy, 5, true)).toEqual({ kind: 'exhausted', reason: 'permanent' });
    expect(decideRetry('unknown', 1, policy, 5).kind).toBe('retry');
    expect(() => retryPolicySchema.parse({ busy: { delaySec: -1 } })).toThrow();
  });
});

describe('prefix guard', () => {
  it('is default-deny and matches E.164 prefixes', () => {
    expect(isAllowedDestination('+442079460018', ['+44'])).toBe(true);
    expect(isAllowedDestination('+442079460018', ['4420'])).toBe(true);
    expect(isAllowedDestination('+882079460018', ['+44'])).toBe(false);
    expect(isAllowedDestination('+442079460018', [])).toBe(false);
    expect(isAllowedDestination('442079460018', ['+44'])).toBe(false);
    expect(isAllowedDestination('+442079460018', ['bogus'])).toBe(false);
  });
});

describe('campaign states', () => {
  it('allows only the documented transitions', () => {
    expect(nextCampaignState('draft', 'start')).toBe('running');
    expect(nextCampaignState('running', 'pause')).toBe('paused');
    expect(nextCampaignState('paused', 'resume')).toBe('running');
    expect(nextCampaignState('paused', 'stop')).toBe('stopped');
    expect(() => nextCampaignState('draft', 'resume')).toThrow(/cannot resume a campaign that is draft/);
    expect(() => nextCampaignState('stopped', 'start')).toThrow();
    expect(() => nextCampaignState('paused', 'start')).toThrow();
  });
});

describe('csv + numbers', () => {
  it('parses records across every split point', () => {
    const text = 'phone,name\r\n"+44 20 7946 0018","Smith, ""Jo"""\n+33142685300,\n\nlast,row';
    const whole = new CsvParser();
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected).toEqual([
      ['phone', 'name'],
      ['+44 20 7946 0018', 'Smith, "Jo"'],
      ['+33142685300', ''],
      ['last', 'row'],
    ]);
    for (let i = 0; i <= text.length; i++) {
      const p = new CsvParser();
      const got = [...p.push(text.slice(0, i)), ...p.push(text.slice(i)), ...p.end()];
      expect(got).toEqual(expected);
    }
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });
  it('normalises to E.164', () => {
    expect(toE164('020 7946 0018', 'GB')).toBe('+442079460018');
    expect(toE164('+1 (212) 555-0123')).toBe('+12125550123');
    expect(toE164('12345')).toBeNull();
    expect(toE164('not a number', 'GB')).toBeNull();
  });
});
