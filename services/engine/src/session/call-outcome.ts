import { hangupFieldsFromVariables } from '@switchyard/calllog';

/** How a call ended, in the spellings the dashboards and the ASR rule query. */
export type Disposition = 'answered' | 'busy' | 'no_answer' | 'failed' | 'cancelled';

/** One ended call as metrics see it. */
export interface CallEnd {
  readonly direction: 'inbound' | 'outbound';
  readonly node: string;
  readonly disposition: Disposition;
  /** Answered calls only. */
  readonly talkSeconds: number | null;
  /** From the hangup event's RTP variables; null when the event carried none. */
  readonly mos: number | null;
  readonly jitterMs: number | null;
  readonly packetLossPct: number | null;
}

/** Where call-end facts and per-command latencies go (a metrics adapter); synchronous, no I/O. */
export interface CallMetricsPort {
  callEnded(end: CallEnd): void;
  /** An app (`playback`, `answer`...) took `ms` from being sent to its completion event. */
  appCompleted(app: string, ms: number): void;
}

/** What the engine knows about the call besides the hangup variables. */
export interface CallFacts {
  readonly direction: 'inbound' | 'outbound';
  readonly node: string;
  /** Epoch ms the engine saw it answered (null: never answered). */
  readonly answeredAt: number | null;
  readonly now: number;
}

const UNANSWERED: Readonly<Record<string, Disposition>> = {
  USER_BUSY: 'busy',
  NO_ANSWER: 'no_answer',
  NO_USER_RESPONSE: 'no_answer',
  ALLOTTED_TIMEOUT: 'no_answer',
  ORIGINATOR_CANCEL: 'cancelled',
};

/** Answered when the channel was; otherwise read from the Q.850 cause (anything unknown failed). */
export function dispositionOf(answered: boolean, cause: string): Disposition {
  return answered ? 'answered' : (UNANSWERED[cause] ?? 'failed');
}

/**
 * A call's end from CHANNEL_HANGUP_COMPLETE variables (or just the cause the engine
 * chose). Talk time prefers the switch's `billmsec` over the engine's own clock.
 */
export function callEndFrom(vars: Record<string, string | undefined>, f: CallFacts): CallEnd {
  const h = hangupFieldsFromVariables(vars);
  const answered = f.answeredAt !== null || h.answeredAt !== null;
  const talkMs = answered ? (h.talkMs ?? (f.answeredAt !== null ? f.now - f.answeredAt : null)) : null;
  return {
    direction: f.direction,
    node: f.node,
    disposition: dispositionOf(answered, h.hangupCause),
    talkSeconds: talkMs !== null ? Math.max(0, talkMs) / 1000 : null,
    mos: h.mos,
    jitterMs: h.jitterMs,
    packetLossPct: h.packetLossPct,
  };
}
