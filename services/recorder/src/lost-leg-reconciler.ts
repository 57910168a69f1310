import type { Database } from '@switchyard/core';
import { type Kysely, sql } from 'kysely';
import type { RecorderMetrics } from './recorder-metrics.ts';

/** Options of {@link LostLegReconciler}. */
export interface LostLegReconcilerOptions {
  db: Kysely<Database>;
  /** A leg with no hang-up and no news for this long is closed as lost. */
  lostAfterMs: number;
  /** How far back to look (bounds the partitions scanned). Default 7 days. */
  lookbackMs?: number;
  /** Most legs closed per statement. Default 5,000. */
  batchLimit?: number;
  metrics?: RecorderMetrics;
  /** Called with the start times of the legs closed (the KPI rollup marks them). */
  onClosed?: (startedAt: Date[]) => void;
}

/**
 * Closes legs whose hang-up never arrived (engine crash, node lost) with disposition
 * `lost` and a reason. A hang-up that arrives later still wins (see LegWriter's merge).
 *
 * @example
 * const closed = await new LostLegReconciler({ db, lostAfterMs: 6 * 3600_000 }).run();
 */
export class LostLegReconciler {
  constructor(private readonly o: LostLegReconcilerOptions) {}

  /** One pass; returns how many legs were closed. */
  async run(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.o.lostAfterMs);
    const since = new Date(now.getTime() - (this.o.lookbackMs ?? 7 * 86_400_000));
    const limit = this.o.batchLimit ?? 5_000;
    const secs = Math.round(this.o.lostAfterMs / 1000);
    let total = 0;
    for (;;) {
      const res = await sql<{ started_at: Date }>`
        WITH stale AS (
          SELECT leg_id, started_at FROM call_legs
          WHERE ended_at IS NULL AND started_at >= ${since} AND started_at < ${cutoff} AND updated_at < ${cutoff}
          LIMIT ${limit}
        )
        UPDATE call_legs l SET
          disposition = 'lost',
          ended_at = ${now},
          total_ms = LEAST(2147483647, (extract(epoch FROM (${now}::timestamptz - l.started_at)) * 1000)::bigint)::int,
          lost_reason = format('no hang-up within %s s of the last event (node %s, engine %s)',
                               ${secs}::int, COALESCE(l.node, '?'), COALESCE(l.engine_id, '?')),
          updated_at = now()
        FROM stale WHERE l.leg_id = stale.leg_id AND l.started_at = stale.started_at AND l.ended_at IS NULL
        RETURNING l.started_at`.execute(this.o.db);
      const n = res.rows.length;
      total += n;
      if (n > 0) this.o.onClosed?.(res.rows.map((r) => r.started_at));
      if (n < limit) break;
    }
    this.o.metrics?.lostLegs.inc(total);
    return total;
  }
}
