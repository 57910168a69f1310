import { describe, expect, it } from 'vitest';
import { callEndFrom, dispositionOf } from '../src/session/call-outcome.ts';

// Variables of a real CHANNEL_HANGUP_COMPLETE (FreeSWITCH 1.10.12, SIPp caller, 9 s call).
const realHangup = {
  'Hangup-Cause': 'NORMAL_CLEARING',
  variable_hangup_cause: 'NORMAL_CLEARING',
  variable_sip_term_status: '200',
  variable_answer_uepoch: '1795557758982305',
  variable_billmsec: '8760',
  variable_mduration: '8760',
  variable_rtp_audio_in_mos: '1.10',
  variable_rtp_audio_in_jitter_max_variance: '0.00',
  variable_rtp_audio_in_media_packet_count: '62',
  variable_rtp_audio_in_skip_packet_count: '379',
};
const facts = { direction: 'inbound', node: 'fs1', answeredAt: null, now: 0 } as const;

describe('call outcome', () => {
  it('reads disposition, talk time and RTP quality from a real hangup event', () => {
    const e = callEndFrom(realHangup, facts);
    expect(e).toMatchObject({ direction: 'inbound', node: 'fs1', disposition: 'answered', talkSeconds: 8.76, mos: 1.1, jitterMs: 0 });
    expect(e.packetLossPct).toBeCloseTo((379 / 441) * 100, 2);
  });

  it('names unanswered calls by their hangup cause', () => {
    expect(dispositionOf(false, 'USER_BUSY')).toBe('busy');
    expect(dispositionOf(false, 'NO_ANSWER')).toBe('no_answer');
    expect(dispositionOf(false, 'NO_USER_RESPONSE')).toBe('no_answer');
    expect(dispositionOf(false, 'ORIGINATOR_CANCEL')).toBe('cancelled');
    expect(dispositionOf(false, 'UNALLOCATED_NUMBER')).toBe('failed');
    expect(dispositionOf(true, 'USER_BUSY')).toBe('answered');
    // FreeSWITCH writes answer_uepoch "0" on an unanswered leg, with no RTP figures.
    const busy = callEndFrom({ 'Hangup-Cause': 'USER_BUSY', variable_answer_uepoch: '0', variable_billmsec: '0' }, facts);
    expect(busy).toMatchObject({ disposition: 'busy', talkSeconds: null, mos: null, jitterMs: null, packetLossPct: null });
  });

  it('times an answered call on the engine clock when the hangup carried no billing', () => {
    const e = callEndFrom({ 'Hangup-Cause': 'ENGINE_NO_HANGUP_EVENT' }, { ...facts, answeredAt: 1_000, now: 4_500 });
    expect(e).toMatchObject({ disposition: 'answered', talkSeconds: 3.5, mos: null });
  });
});
