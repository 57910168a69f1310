import { refreshKpiRollup, rollupBucketOf } from '@switchyard/calllog';
import type { Database, Logger } from '@switchyard/core';
import type { Kysely } from 'kysely';

/** Options of {@link KpiRollupKeeper}. */
export interface KpiRollupKeeperOptions {
  db: Kysely<Database>;
  /** Most distinct dirty buckets kept; beyond it the keeper refreshes the whole recent window instead. Default 20,000. */
  maxDirty?: number;
  /** Window refreshed at start (a crash forgets what was dirty) and on overflow. Default 6 h. */
  recentWindowMs?: number;
  logger?: Logger;
}

/**
 * Keeps the 5-minute KPI rollup in step with call_legs: the recorder marks the buckets
 * of every leg it wrote (or the reconciler closed), and each run recomputes them.
 *
 * @example
 * keeper.mark(rows.map((r) => r.started_at)); await keeper.run();
 */
export class KpiRollupKeeper {
  private dirty = new Set<number>();
  private overflow = true; // first run: refresh the recent window
  private readonly maxDirty: number;
  private readonly windowMs: number;

  constructor(private readonly o: KpiRollupKeeperOptions) {
    this.maxDirty = o.maxDirty ?? 20_000;
    this.windowMs = o.recentWindowMs ?? 6 * 3_600_000;
  }

  /** Notes legs whose rows changed. O(1) per leg; bounded. */
  mark(startedAt: Iterable<Date>): void {
    if (this.overflow) return;
    for (const d of startedAt) {
      this.dirty.add(rollupBucketOf(d));
      if (this.dirty.size > this.maxDirty) {
        this.overflow = true;
        this.dirty.clear();
        return;
      }
    }
  }

  /** Recomputes what is dirty; returns the number of buckets refreshed. */
  async run(now = Date.now()): Promise<number> {
    const buckets = this.dirty;
    const overflow = this.overflow;
    this.dirty = new Set();
    this.overflow = false;
    try {
      if (!overflow) return await refreshKpiRollup(this.o.db, buckets);
      const window: number[] = [];
      for (let b = rollupBucketOf(new Date(now - this.windowMs)); b <= now; b += 300_000) window.push(b);
      for (const b of buckets) window.push(b);
      return await refreshKpiRollup(this.o.db, window);
    } catch (err) {
      // Put the work back so the next run retries it.
      this.overflow ||= overflow;
      for (const b of buckets) this.dirty.add(b);
      throw err;
    }
  }
}
