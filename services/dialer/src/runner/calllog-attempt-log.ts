import type { CallLogEventInput } from '@switchyard/calllog';
import type { AttemptLogFacts, AttemptLogPort } from './switch-port.ts';

/** The methods of the call-log producer the dialer uses. */
export interface CallLogSink {
  append(e: CallLogEventInput): void;
  flush?(): Promise<void>;
}

/**
 * Every attempt lands in the call log: `leg.created` at originate, `leg.answered` and
 * `leg.hungup` at its end (leg id = the origination UUID). `append` buffers and returns, so
 * the dialer never waits on the log to dial; it waits on `flush` only before closing an
 * attempt in Postgres. Ids are stable per (leg, type), so a replay is a no-op.
 */
export function callLogAttemptLog(sink: CallLogSink): AttemptLogPort {
  const env = (f: AttemptLogFacts, type: string, seq: number, at: number) => ({
    v: 1 as const,
    id: `${f.callUuid}:${type}`,
    legId: f.callUuid,
    startedAt: new Date(f.startedAt),
    direction: 'outbound' as const,
    at: new Date(at),
    seq,
  });
  return {
    ...(sink.flush ? { flush: () => sink.flush!() } : {}),
    attemptStarted(f) {
      sink.append({
        ...env(f, 'leg.created', 0, f.at),
        type: 'leg.created',
        caller: f.callerId,
        callee: f.phone,
        campaignId: f.campaignId,
        contactId: f.contactId,
        attemptId: f.attemptId,
        node: f.node,
        flowId: f.flowId,
        trunk: f.trunk,
      });
    },
    attemptEnded(f) {
      if (f.answeredAt !== null) sink.append({ ...env(f, 'leg.answered', 1, f.answeredAt), type: 'leg.answered' });
      sink.append({
        ...env(f, 'leg.hungup', 2, f.at),
        type: 'leg.hungup',
        hangupCause: f.cause.slice(0, 64),
        answeredAt: f.answeredAt === null ? null : new Date(f.answeredAt),
        totalMs: Math.max(0, Math.round(f.at - f.startedAt)),
        talkMs: f.answeredAt === null ? null : Math.max(0, Math.round(f.at - f.answeredAt)),
      });
    },
  };
}
