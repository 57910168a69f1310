import type { Channel } from './channel.ts';
import { localStamp } from './time-format.ts';

/** Q.850 cause codes for the hangup causes FreeSWITCH names (switch_channel.c CAUSE_CHART). */
export const Q850: Readonly<Record<string, number>> = {
  NONE: 0,
  UNALLOCATED_NUMBER: 1,
  NO_ROUTE_TRANSIT_NET: 2,
  NO_ROUTE_DESTINATION: 3,
  CHANNEL_UNACCEPTABLE: 6,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  NUMBER_CHANGED: 22,
  DESTINATION_OUT_OF_ORDER: 27,
  INVALID_NUMBER_FORMAT: 28,
  FACILITY_REJECTED: 29,
  NORMAL_UNSPECIFIED: 31,
  NORMAL_CIRCUIT_CONGESTION: 34,
  NETWORK_OUT_OF_ORDER: 38,
  NORMAL_TEMPORARY_FAILURE: 41,
  SWITCH_CONGESTION: 42,
  REQUESTED_CHAN_UNAVAIL: 44,
  BEARERCAPABILITY_NOTAVAIL: 58,
  SERVICE_UNAVAILABLE: 63,
  INCOMPATIBLE_DESTINATION: 88,
  RECOVERY_ON_TIMER_EXPIRE: 102,
  ORIGINATOR_CANCEL: 487,
  ALLOTTED_TIMEOUT: 602,
  LOSE_RACE: 502,
  MANAGER_REQUEST: 503,
  SYSTEM_SHUTDOWN: 501,
  MEDIA_TIMEOUT: 604,
  PICKED_OFF: 505,
  USER_NOT_REGISTERED: 606,
};

/** Variables FreeSWITCH sets when the hangup happens. */
export function hangupCauseVars(ch: Channel, cause: string): void {
  ch.setVar('hangup_cause', cause);
  ch.setVar('hangup_cause_q850', String(Q850[cause] ?? 0));
}

const fix2 = (n: number): string => n.toFixed(2);

/** Timestamps, durations and RTP statistics set in CS_REPORTING, before CHANNEL_HANGUP_COMPLETE. */
export function reportingVars(ch: Channel): void {
  const end = ch.hangupMs || Date.now();
  const start = ch.createdMs;
  const ans = ch.answeredMs;
  const set = (k: string, v: string | number): void => ch.setVar(k, String(v));
  const sec = (ms: number): number => Math.floor(ms / 1000);
  set('start_stamp', localStamp(start));
  set('profile_start_stamp', localStamp(start));
  if (ans) set('answer_stamp', localStamp(ans));
  set('end_stamp', localStamp(end));
  set('start_epoch', sec(start));
  set('start_uepoch', `${start}000`);
  set('profile_start_epoch', sec(start));
  set('profile_start_uepoch', `${start}000`);
  set('answer_epoch', ans ? sec(ans) : 0);
  set('answer_uepoch', ans ? `${ans}000` : 0);
  set('bridge_epoch', ch.bridgedMs ? sec(ch.bridgedMs) : 0);
  set('bridge_uepoch', ch.bridgedMs ? `${ch.bridgedMs}000` : 0);
  for (const k of ['last_hold_epoch', 'last_hold_uepoch', 'hold_accum_seconds', 'hold_accum_usec', 'hold_accum_ms', 'resurrect_epoch', 'resurrect_uepoch']) set(k, 0);
  set('progress_epoch', ch.progressMs ? sec(ch.progressMs) : 0);
  set('progress_uepoch', ch.progressMs ? `${ch.progressMs}000` : 0);
  set('progress_media_epoch', ch.progressMediaMs ? sec(ch.progressMediaMs) : 0);
  set('progress_media_uepoch', ch.progressMediaMs ? `${ch.progressMediaMs}000` : 0);
  set('end_epoch', sec(end));
  set('end_uepoch', `${end}000`);
  set('caller_id', `"${ch.profile.callerIdName}" <${ch.profile.callerIdNumber}>`);
  const dur = end - start;
  const bill = ans ? end - ans : 0;
  const wait = ans ? ans - start : 0;
  const prog = ch.progressMs ? ch.progressMs - start : 0;
  const progMedia = ch.progressMediaMs ? ch.progressMediaMs - start : 0;
  set('duration', sec(dur));
  set('billsec', sec(bill));
  set('progresssec', sec(prog));
  set('answersec', sec(wait));
  set('waitsec', sec(wait));
  set('progress_mediasec', sec(progMedia));
  set('flow_billsec', sec(bill));
  set('mduration', dur);
  set('billmsec', bill);
  set('progressmsec', prog);
  set('answermsec', wait);
  set('waitmsec', wait);
  set('progress_mediamsec', progMedia);
  set('flow_billmsec', bill);
  set('uduration', dur * 1000);
  set('billusec', bill * 1000);
  set('progressusec', prog * 1000);
  set('answerusec', wait * 1000);
  set('waitusec', wait * 1000);
  set('progress_mediausec', progMedia * 1000);
  set('flow_billusec', bill * 1000);
  if (ans) rtpStats(ch, bill);
}

/** variable_rtp_audio_* figures; packet counts follow the answered time at 50 packets/s. */
function rtpStats(ch: Channel, billMs: number): void {
  const q = ch.quality;
  const set = (k: string, v: string | number): void => ch.setVar(`rtp_audio_${k}`, String(v));
  const sent = Math.floor(billMs / 20);
  const lost = Math.round((sent * q.packetLossPercent) / 100);
  const recv = sent - lost;
  set('in_raw_bytes', recv * 172);
  set('in_media_bytes', recv * 172);
  set('in_packet_count', recv);
  set('in_media_packet_count', recv);
  set('in_skip_packet_count', lost);
  set('in_jitter_packet_count', 0);
  set('in_dtmf_packet_count', 0);
  set('in_cng_packet_count', 0);
  set('in_flush_packet_count', 0);
  set('in_largest_jb_size', 0);
  set('in_jitter_min_variance', fix2(q.jitterMinVariance));
  set('in_jitter_max_variance', fix2(q.jitterMaxVariance));
  set('in_jitter_loss_rate', fix2(q.jitterLossRate));
  set('in_jitter_burst_rate', fix2(q.jitterBurstRate));
  set('in_mean_interval', fix2(20));
  set('in_flaw_total', q.flawTotal);
  set('in_quality_percentage', fix2(Math.max(0, 100 - q.packetLossPercent * 2 - q.flawTotal * 0.1)));
  set('in_mos', fix2(q.mos));
  set('out_raw_bytes', sent * 172);
  set('out_media_bytes', sent * 172);
  set('out_packet_count', sent);
  set('out_media_packet_count', sent);
  set('out_skip_packet_count', 0);
  set('out_dtmf_packet_count', 0);
  set('out_cng_packet_count', 0);
  set('rtcp_packet_count', 0);
  set('rtcp_octet_count', 0);
}
