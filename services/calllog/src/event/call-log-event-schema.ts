import { z } from 'zod';

/** Schema version carried by every event; bump on a breaking change, keep the old parser. */
export const CALL_LOG_EVENT_VERSION = 1 as const;

// A preprocess plus one regex costs a third of a zod union of datetime() and date(); this
// runs for every event twice.
/** ISO 8601 date-time with a zone (what toISOString() writes); dates are this or a Date. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const isoDate = z.preprocess(
  (v) => (typeof v === 'string' && ISO_DATE.test(v) ? new Date(v) : v),
  z.date({ error: 'expected an ISO 8601 date-time with zone, or a Date' }),
) as unknown as z.ZodType<Date, string | Date>;
const legDirection = z.enum(['inbound', 'outbound', 'transfer']);

/**
 * Fields every event carries. `startedAt` and `direction` ride on every event so that a
 * leg's row can be created (and keyed: call_legs' PK is (leg_id, started_at)) by
 * whichever event reaches the recorder first — e.g. a hang-up overtaking its creation.
 */
const envelope = {
  v: z.literal(CALL_LOG_EVENT_VERSION),
  /** Idempotency key: the same fact sent twice has the same id. */
  id: z.string().min(1).max(200),
  /** FreeSWITCH Unique-ID of the leg. */
  legId: z.string().uuid(),
  startedAt: isoDate,
  direction: legDirection,
  /** When this fact happened. */
  at: isoDate,
  /** Per-leg sequence number (monotonic on the producing side). */
  seq: z.number().int().nonnegative(),
};

const optText = z.string().max(256).nullish();
const optId = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().nonnegative()]).nullish()
  .transform((v) => (v == null ? null : String(v)));

export const legCreatedSchema = z.object({
  ...envelope,
  type: z.literal('leg.created'),
  caller: optText,
  callee: optText,
  did: optText,
  campaignId: optId,
  contactId: optId,
  attemptId: optId,
  node: optText,
  engineId: optText,
  flowId: optText,
  flowVersion: z.number().int().positive().nullish(),
  parentLegId: z.string().uuid().nullish(),
  trunk: optText,
});

export const legAnsweredSchema = z.object({ ...envelope, type: z.literal('leg.answered') });

export const ivrStepSchema = z.object({
  ...envelope,
  type: z.literal('ivr.step'),
  /** Step number within the leg's IVR run (ivr_steps' key with legId). */
  step: z.number().int().nonnegative(),
  state: z.string().min(1).max(128),
  kind: z.string().min(1).max(64),
  flowId: optText,
  flowVersion: z.number().int().positive().nullish(),
  detail: z.record(z.string(), z.unknown()).default({}),
});

export const legBridgedSchema = z.object({ ...envelope, type: z.literal('leg.bridged'), bridgedTo: z.string().min(1).max(256) });

export const legTransferredSchema = z.object({
  ...envelope,
  type: z.literal('leg.transferred'),
  transferredTo: z.string().min(1).max(256),
});

export const legHungUpSchema = z.object({
  ...envelope,
  type: z.literal('leg.hungup'),
  /** Q.850 name as FreeSWITCH reports it, e.g. NORMAL_CLEARING. */
  hangupCause: z.string().min(1).max(64),
  sipCode: z.number().int().min(100).max(699).nullish(),
  /** When the leg was answered, if it was: the hang-up alone decides the disposition. */
  answeredAt: isoDate.nullish(),
  ringMs: z.number().int().nonnegative().nullish(),
  talkMs: z.number().int().nonnegative().nullish(),
  totalMs: z.number().int().nonnegative().nullish(),
  pddMs: z.number().int().nonnegative().nullish(),
  mos: z.number().min(0).max(5).nullish(),
  jitterMs: z.number().nonnegative().nullish(),
  packetLossPct: z.number().min(0).max(100).nullish(),
});

/** One call-log fact. Parse untrusted input with {@link parseCallLogEvent}. */
export const callLogEventSchema = z.discriminatedUnion('type', [
  legCreatedSchema,
  legAnsweredSchema,
  ivrStepSchema,
  legBridgedSchema,
  legTransferredSchema,
  legHungUpSchema,
]);

/** What producers pass in (dates may be Date or ISO strings). */
export type CallLogEventInput = z.input<typeof callLogEventSchema>;
/** A validated event (dates are Date). */
export type CallLogEvent = z.output<typeof callLogEventSchema>;
export type CallLogEventType = CallLogEvent['type'];
export type LegDirection = z.infer<typeof legDirection>;
export type LegCreatedEvent = z.output<typeof legCreatedSchema>;
export type LegHungUpEvent = z.output<typeof legHungUpSchema>;
export type IvrStepEvent = z.output<typeof ivrStepSchema>;

/** Thrown (or returned) when input is not a valid CallLogEvent; `issues` names each bad field. */
export class CallLogEventError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid call-log event: ${issues.join('; ')}`);
    this.name = 'CallLogEventError';
  }
}

/**
 * Validates untrusted input.
 *
 * @example
 * const r = parseCallLogEvent(JSON.parse(line)); if (!r.ok) console.error(r.error.message);
 */
export function parseCallLogEvent(input: unknown): { ok: true; event: CallLogEvent } | { ok: false; error: CallLogEventError } {
  const res = callLogEventSchema.safeParse(input);
  if (res.success) return { ok: true, event: res.data };
  return {
    ok: false,
    error: new CallLogEventError(res.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)),
  };
}

/** The conventional idempotency key: one fact per (leg, type, seq). */
export function eventId(legId: string, type: CallLogEventType, seq: number): string {
  return `${legId}:${type}:${seq}`;
}
