import type { LegHungUpEvent } from '../event/call-log-event-schema.ts';

/**
 * How a leg ended. The one place dispositions and per-leg KPI fields are computed; the
 * analytics SQL only counts them.
 * - `answered`: the far end answered.
 * - `busy`, `no_answer`, `rejected`: the callee decided (they count for NER).
 * - `abandoned`: the caller gave up before answer (ORIGINATOR_CANCEL / 487).
 * - `failed`: the network or a node failed.
 * - `lost`: no hang-up ever arrived (set by the reconciler).
 */
export type Disposition = 'answered' | 'busy' | 'no_answer' | 'rejected' | 'abandoned' | 'failed' | 'lost';
export const DISPOSITIONS: readonly Disposition[] = [
  'answered',
  'busy',
  'no_answer',
  'rejected',
  'abandoned',
  'failed',
  'lost',
];
/** Dispositions that count as "the network did its job" for NER. */
export const NER_DISPOSITIONS: readonly Disposition[] = ['answered', 'busy', 'no_answer', 'rejected', 'abandoned'];

const BUSY = new Set(['USER_BUSY']);
const NO_ANSWER = new Set(['NO_ANSWER', 'NO_USER_RESPONSE', 'SUBSCRIBER_ABSENT']);
const REJECTED = new Set(['CALL_REJECTED', 'UNALLOCATED_NUMBER', 'NUMBER_CHANGED', 'INVALID_NUMBER_FORMAT']);
const ABANDONED = new Set(['ORIGINATOR_CANCEL']);

/**
 * The disposition of a leg that hung up.
 *
 * @example
 * dispositionOf({ answered: false, hangupCause: 'USER_BUSY', sipCode: 486 }); // 'busy'
 */
export function dispositionOf(x: { answered: boolean; hangupCause: string; sipCode?: number | null }): Disposition {
  if (x.answered) return 'answered';
  const c = x.hangupCause.toUpperCase();
  const s = x.sipCode ?? 0;
  if (BUSY.has(c) || s === 486 || s === 600) return 'busy';
  if (ABANDONED.has(c) || s === 487) return 'abandoned';
  if (NO_ANSWER.has(c) || s === 408 || s === 480) return 'no_answer';
  if (REJECTED.has(c) || s === 403 || s === 603 || s === 404 || s === 484) return 'rejected';
  return 'failed';
}

/** The hang-up columns of a leg row. */
export interface HangupColumns {
  ended_at: Date;
  answered_at: Date | null;
  hangup_cause: string;
  sip_code: number | null;
  disposition: Disposition;
  ring_ms: number;
  talk_ms: number;
  total_ms: number;
  pdd_ms: number | null;
  mos: number | null;
  jitter_ms: number | null;
  packet_loss_pct: number | null;
}

const ms = (a: Date, b: Date) => Math.max(0, b.getTime() - a.getTime());

/**
 * Disposition and durations from a hang-up event. Durations FreeSWITCH measured win over
 * ones derived from timestamps (node clocks and engine clocks differ by a few ms).
 */
export function hangupColumns(e: LegHungUpEvent): HangupColumns {
  const answeredAt = e.answeredAt ?? null;
  const total = e.totalMs ?? ms(e.startedAt, e.at);
  const talk = e.talkMs ?? (answeredAt ? ms(answeredAt, e.at) : 0);
  const ring = e.ringMs ?? (answeredAt ? ms(e.startedAt, answeredAt) : Math.max(0, total - talk));
  return {
    ended_at: e.at,
    answered_at: answeredAt,
    hangup_cause: e.hangupCause,
    sip_code: e.sipCode ?? null,
    disposition: dispositionOf({ answered: answeredAt !== null, hangupCause: e.hangupCause, sipCode: e.sipCode }),
    ring_ms: ring,
    talk_ms: talk,
    total_ms: total,
    pdd_ms: e.pddMs ?? null,
    mos: e.mos ?? null,
    jitter_ms: e.jitterMs ?? null,
    packet_loss_pct: e.packetLossPct ?? null,
  };
}
