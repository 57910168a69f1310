/**
 * The hang-up fields FreeSWITCH reports in a CHANNEL_HANGUP_COMPLETE event, turned into
 * the numbers a `leg.hungup` event carries. Pure; absent or garbled values become null.
 */
export interface HangupFields {
  hangupCause: string;
  sipCode: number | null;
  answeredAt: Date | null;
  talkMs: number | null;
  totalMs: number | null;
  pddMs: number | null;
  mos: number | null;
  jitterMs: number | null;
  packetLossPct: number | null;
}

function num(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function positive(v: string | undefined): number | null {
  const n = num(v);
  return n !== null && n > 0 ? n : null;
}

/**
 * Reads `Hangup-Cause`, `variable_sip_term_status`, `variable_answer_uepoch`,
 * `variable_billmsec`, `variable_mduration`, `variable_progress_mediamsec`/`progressmsec`
 * and the RTP statistics `variable_rtp_audio_in_mos`, `..._jitter_max_variance`,
 * `..._media_packet_count`, `..._skip_packet_count`.
 *
 * @example
 * const f = hangupFieldsFromVariables({ 'Hangup-Cause': 'NORMAL_CLEARING', variable_rtp_audio_in_mos: '4.3' });
 */
export function hangupFieldsFromVariables(h: Record<string, string | undefined>): HangupFields {
  const answerUs = positive(h.variable_answer_uepoch);
  const media = num(h.variable_rtp_audio_in_media_packet_count);
  const skipped = num(h.variable_rtp_audio_in_skip_packet_count);
  const seen = (media ?? 0) + (skipped ?? 0);
  const mos = num(h.variable_rtp_audio_in_mos);
  const sip = num(h.variable_sip_term_status ?? h.variable_last_bridge_proto_specific_hangup_cause?.replace(/^sip:/, ''));
  return {
    hangupCause: h['Hangup-Cause'] || h.variable_hangup_cause || 'UNKNOWN',
    sipCode: sip !== null && sip >= 100 && sip <= 699 ? Math.trunc(sip) : null,
    answeredAt: answerUs !== null ? new Date(Math.floor(answerUs / 1000)) : null,
    talkMs: num(h.variable_billmsec),
    totalMs: num(h.variable_mduration),
    pddMs: positive(h.variable_progress_mediamsec) ?? positive(h.variable_progressmsec),
    mos: mos !== null && mos >= 0 && mos <= 5 ? mos : null,
    jitterMs: num(h.variable_rtp_audio_in_jitter_max_variance),
    packetLossPct: seen > 0 ? Math.round(((skipped ?? 0) / seen) * 100_000) / 1000 : null,
  };
}
