import { describe, expect, it } from 'vitest';
import {
  type CallLogEvent,
  dispositionOf,
  foldEvents,
  hangupFieldsFromVariables,
  parseCallLogEvent,
} from '../src/index.ts';
import { legEvents } from '../src/testing/leg-events.ts';

const parsed = (events: unknown[]): CallLogEvent[] =>
  events.map((e) => {
    const r = parseCallLogEvent(e);
    if (!r.ok) throw r.error;
    return r.event;
  });

describe('CallLogEvent schema', () => {
  it('accepts every event a leg produces and turns dates into Dates', () => {
    const events = parsed(legEvents({ answerAfterMs: 1000, talkMs: 5000, ivr: ['welcome', 'menu'] }));
    expect(events.map((e) => e.type)).toEqual(['leg.created', 'leg.answered', 'ivr.step', 'ivr.step', 'leg.hungup']);
    expect(events[0]!.startedAt).toBeInstanceOf(Date);
  });

  it('rejects bad input with a message naming the field, without throwing', () => {
    const [created] = legEvents();
    const r = parseCallLogEvent({ ...created, legId: 'not-a-uuid', v: 2 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/legId/);
      expect(r.error.message).toMatch(/^invalid call-log event/);
    }
    expect(parseCallLogEvent(null).ok).toBe(false);
    expect(parseCallLogEvent({ type: 'leg.exploded' }).ok).toBe(false);
  });
});

describe('hang-up variables', () => {
  it('reads cause, SIP code, answer time, durations, MOS, jitter and packet loss', () => {
    const f = hangupFieldsFromVariables({
      'Hangup-Cause': 'NORMAL_CLEARING',
      variable_sip_term_status: '200',
      variable_answer_uepoch: '1764028800123456',
      variable_billmsec: '61000',
      variable_mduration: '65000',
      variable_progress_mediamsec: '0',
      variable_progressmsec: '1800',
      variable_rtp_audio_in_mos: '4.31',
      variable_rtp_audio_in_jitter_max_variance: '12.5',
      variable_rtp_audio_in_media_packet_count: '2970',
      variable_rtp_audio_in_skip_packet_count: '30',
    });
    expect(f).toEqual({
      hangupCause: 'NORMAL_CLEARING',
      sipCode: 200,
      answeredAt: new Date(1764028800123),
      talkMs: 61000,
      totalMs: 65000,
      pddMs: 1800,
      mos: 4.31,
      jitterMs: 12.5,
      packetLossPct: 1,
    });
  });

  it('turns missing or garbled values into null', () => {
    const f = hangupFieldsFromVariables({ variable_rtp_audio_in_mos: 'abc', variable_sip_term_status: '9999' });
    expect(f.hangupCause).toBe('UNKNOWN');
    expect(f.mos).toBeNull();
    expect(f.sipCode).toBeNull();
    expect(f.answeredAt).toBeNull();
    expect(f.packetLossPct).toBeNull();
  });
});

describe('disposition', () => {
  it.each([
    [{ answered: true, hangupCause: 'USER_BUSY' }, 'answered'],
    [{ answered: false, hangupCause: 'USER_BUSY' }, 'busy'],
    [{ answered: false, hangupCause: 'NORMAL_CLEARING', sipCode: 486 }, 'busy'],
    [{ answered: false, hangupCause: 'NO_ANSWER' }, 'no_answer'],
    [{ answered: false, hangupCause: 'ORIGINATOR_CANCEL' }, 'abandoned'],
    [{ answered: false, hangupCause: 'CALL_REJECTED' }, 'rejected'],
    [{ answered: false, hangupCause: 'DESTINATION_OUT_OF_ORDER' }, 'failed'],
  ] as const)('%o → %s', (input, want) => {
    expect(dispositionOf(input)).toBe(want);
  });
});

describe('foldEvents', () => {
  it('folds any order of a leg into one row with the same result, steps de-duplicated', () => {
    const events = parsed(legEvents({ answerAfterMs: 2000, talkMs: 30_000, ivr: ['welcome', 'menu', 'queue'], pddMs: 900 }));
    const forward = foldEvents(events);
    const backward = foldEvents([...events].reverse().concat(events));
    expect(backward.legs).toEqual(forward.legs);
    expect(backward.steps).toHaveLength(3);
    const row = forward.legs[0]!;
    expect(row).toMatchObject({
      disposition: 'answered',
      ring_ms: 2000,
      talk_ms: 30_000,
      total_ms: 32_000,
      pdd_ms: 900,
      ivr_last_state: 'queue',
      ivr_last_step: 2,
      caller: '+441234567890',
    });
  });

  it('keys a leg by id and start time, so a hang-up alone makes a complete row key', () => {
    const events = parsed(legEvents({ ringMs: 5000, hangupCause: 'NO_ANSWER', sipCode: 480 }));
    const { legs } = foldEvents([events[events.length - 1]!]);
    expect(legs).toHaveLength(1);
    expect(legs[0]).toMatchObject({ disposition: 'no_answer', ring_ms: 5000, talk_ms: 0, caller: null, direction: 'inbound' });
    expect(legs[0]!.started_at).toEqual(events[0]!.startedAt);
  });
});
