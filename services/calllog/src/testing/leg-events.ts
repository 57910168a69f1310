import { randomUUID } from 'node:crypto';
import {
  type CallLogEvent,
  type CallLogEventInput,
  eventId,
  type LegDirection,
  parseCallLogEvent,
} from '../event/call-log-event-schema.ts';

/** How a generated leg goes. */
export interface LegScript {
  legId?: string;
  startedAt?: Date;
  direction?: LegDirection;
  caller?: string;
  callee?: string;
  node?: string;
  trunk?: string;
  campaignId?: string;
  contactId?: string;
  flowId?: string;
  /** IVR states visited, in order. */
  ivr?: string[];
  /** ms from start to answer; omitted = never answered. */
  answerAfterMs?: number;
  /** ms from start (or answer) to hang-up. */
  ringMs?: number;
  talkMs?: number;
  hangupCause?: string;
  sipCode?: number;
  pddMs?: number;
  mos?: number;
  packetLossPct?: number;
  /** Leave out the hang-up (a lost leg). */
  noHangup?: boolean;
}

/**
 * The events of one leg in production order, for tests and benches.
 *
 * @example
 * const events = legEvents({ answerAfterMs: 2000, talkMs: 30_000, ivr: ['welcome', 'menu'] });
 */
export function legEvents(s: LegScript = {}): CallLogEventInput[] {
  const legId = s.legId ?? randomUUID();
  const startedAt = s.startedAt ?? new Date();
  const direction = s.direction ?? 'inbound';
  const t0 = startedAt.getTime();
  let seq = 0;
  const base = (type: CallLogEventInput['type'], at: number) => ({
    v: 1 as const,
    id: eventId(legId, type, seq),
    legId,
    startedAt: startedAt.toISOString(),
    direction,
    at: new Date(at).toISOString(),
    seq: seq++,
  });
  const out: CallLogEventInput[] = [
    {
      ...base('leg.created', t0),
      type: 'leg.created',
      caller: s.caller ?? '+441234567890',
      callee: s.callee ?? '+442000000000',
      node: s.node ?? 'fs1',
      trunk: s.trunk ?? null,
      campaignId: s.campaignId ?? null,
      contactId: s.contactId ?? null,
      flowId: s.flowId ?? null,
    },
  ];
  const answered = s.answerAfterMs !== undefined ? t0 + s.answerAfterMs : null;
  let t = answered ?? t0;
  if (answered !== null) out.push({ ...base('leg.answered', answered), type: 'leg.answered' });
  (s.ivr ?? []).forEach((state, step) => {
    t += 10;
    out.push({ ...base('ivr.step', t), type: 'ivr.step', step, state, kind: 'enter', flowId: s.flowId ?? null });
  });
  if (s.noHangup) return out;
  const end = answered !== null ? answered + (s.talkMs ?? 0) : t0 + (s.ringMs ?? 0);
  out.push({
    ...base('leg.hungup', Math.max(end, t)),
    type: 'leg.hungup',
    hangupCause: s.hangupCause ?? 'NORMAL_CLEARING',
    sipCode: s.sipCode ?? null,
    answeredAt: answered !== null ? new Date(answered).toISOString() : null,
    talkMs: answered !== null ? (s.talkMs ?? 0) : 0,
    pddMs: s.pddMs ?? null,
    mos: s.mos ?? null,
    packetLossPct: s.packetLossPct ?? null,
  });
  return out;
}

/** {@link legEvents}, validated: what the recorder sees after decoding. */
export function parsedLegEvents(s: LegScript = {}): CallLogEvent[] {
  return legEvents(s).map((e) => {
    const r = parseCallLogEvent(e);
    if (!r.ok) throw r.error;
    return r.event;
  });
}
