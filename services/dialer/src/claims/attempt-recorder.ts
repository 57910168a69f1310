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

  /** Returns the decision applied, or null if the attempt was already closed. */
  async finish(c: Campaign, attemptId: string, end: AttemptEnd): Promise<RetryDecision | null> {
    return this.db.transaction().execute(async (tx) => {
      const a = await tx
        .updateTable('attempts')
        .set({
          outcome: end.outcome,
          hangup_cause: end.cause,
          ended_at: new Date(end.endedAt),
          ...(end.answeredAt ? { answered_at: sql`coalesce(answered_at, ${new Date(end.answeredAt)})` } : {}),
        })
        .where('id', '=', attemptId)
        .where('ended_at', 'is', null)
        .returning(['contact_id', 'attempt_no'])
        .executeTakeFirst();
      if (!a) return null;
      const d = decideRetry(end.outcome, a.attempt_no, c.retryPolicy, c.maxAttempts, end.permanent ?? false);
      const state = d.kind === 'retry' ? 'retry' : d.kind === 'exhausted' ? 'exhausted' : end.outcome === 'answered' ? 'answered' : 'done';
      await tx
        .updateTable('contacts')
        .set({
          state,
          last_outcome: end.outcome,
          updated_at: sql`now()`,
          ...(d.kind === 'retry' ? { next_attempt_at: new Date(end.endedAt + d.delayMs) } : {}),
        })
        .where('id', '=', a.contact_id)
        // A DNC that landed while the call was up wins over a retry.
        .where('state', '=', 'dialling')
        .execute();
      return d;
    });
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
