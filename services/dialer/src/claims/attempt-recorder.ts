import { sql } from 'kysely';
import type { Campaign } from '../campaign/campaign-record.ts';
import type { Outcome } from '../core/outcome.ts';
import { decideRetry, type RetryDecision } from '../core/retry-policy.ts';
import type { DialerDb } from '../db/dialer-schema.ts';

/** How an attempt ended. */
export interface AttemptEnd {
  outcome: Outcome;
  cause: string;
  permanent?: boolean;
  answeredAt?: number | null;
  endedAt: number;
}

/**
 * Closes an attempt and moves its contact on (done / retry after backoff / exhausted) in
 * one transaction. Idempotent: an attempt that is already closed is left alone, so a
 * replayed event or a recovery racing a late event cannot apply an outcome twice.
 */
export class AttemptRecorder {
  constructor(private readonly db: DialerDb) {}

  /** Records when the call was answered (before the flow takes it). */
  async markAnswered(attemptId: string, at: number): Promise<void> {
    await this.db.updateTable('attempts').set({ answered_at: new Date(at) }).where('id', '=', attemptId).where('answered_at', 'is', null).execute();
  }

  /**
   * Closes attempt number `attemptNo` and applies the retry decision to its contact in one
   * statement. Returns the decision, or null if the attempt was already closed.
   */
  async finish(c: Campaign, attemptId: string, attemptNo: number, end: AttemptEnd): Promise<RetryDecision | null> {
    const d = decideRetry(end.outcome, attemptNo, c.retryPolicy, c.maxAttempts, end.permanent ?? false);
    const state = d.kind === 'retry' ? 'retry' : d.kind === 'exhausted' ? 'exhausted' : end.outcome === 'answered' ? 'answered' : 'done';
    const nextAt = d.kind === 'retry' ? new Date(end.endedAt + d.delayMs) : null;
    const answeredAt = end.answeredAt ? new Date(end.answeredAt) : null;
    // A DNC that landed while the call was up wins over a retry (state is no longer dialling).
    const r = await sql<{ n: number }>`
      WITH a AS (
        UPDATE attempts SET outcome = ${end.outcome}, hangup_cause = ${end.cause}, ended_at = ${new Date(end.endedAt)},
          answered_at = coalesce(answered_at, ${answeredAt}::timestamptz)
        WHERE id = ${attemptId} AND ended_at IS NULL
        RETURNING contact_id
      ), c AS (
        UPDATE contacts SET state = ${state}, last_outcome = ${end.outcome}, updated_at = now(),
          next_attempt_at = coalesce(${nextAt}::timestamptz, next_attempt_at)
        WHERE id IN (SELECT contact_id FROM a) AND state = 'dialling'
        RETURNING id
      )
      SELECT count(*)::int AS n FROM a`.execute(this.db);
    return (r.rows[0]?.n ?? 0) > 0 ? d : null;
  }

  /** Attempts this dialer left open (after a crash), oldest first. */
  async openAttempts(dialerId: string, limit = 1000) {
    return this.db
      .selectFrom('attempts')
      .select(['id', 'campaign_id', 'contact_id', 'attempt_no', 'phone_e164', 'node', 'job_uuid', 'call_uuid', 'started_at', 'answered_at'])
      .where('dialler_id', '=', dialerId)
      .where('ended_at', 'is', null)
      .orderBy('started_at')
      .limit(limit)
      .execute();
  }
}
