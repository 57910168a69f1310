import type { Database } from '@switchyard/core';
import { type Kysely, sql } from 'kysely';
import { type CallFilterInput, callFilterWhere, parseCallFilter, AnalyticsInputError } from './call-filter.ts';
import { rollupCanAnswer, rollupKpiQuery } from './kpi-rollup.ts';
import { KPI_INTERVALS, type KpiFigures, type KpiInterval, kpiSelections } from './kpi-sql.ts';

/** Options of {@link callKpis}: a filter (time range required) plus bucketing. */
export type KpiQuery = CallFilterInput & {
  interval: KpiInterval;
  /** Split each bucket by node or trunk; omitted: one row per bucket. */
  by?: 'node' | 'trunk';
  /**
   * `auto` (default) reads the 5-minute rollup when it can answer (range on 5-minute
   * edges, no filter but node/trunk) — as fresh as the recorder's last rollup refresh —
   * else scans call_legs. `raw` always scans; `rollup` insists (error if it cannot answer).
   */
  source?: 'auto' | 'raw' | 'rollup';
};

/** One bucket (and group, if `by` was given) of KPIs. */
export interface KpiRow extends KpiFigures {
  bucket: Date;
  group: string | null;
}

/**
 * KPIs per interval (5 min, hour, day; buckets aligned to UTC midnight), optionally by
 * node or trunk. Buckets without calls are absent.
 *
 * @example
 * const rows = await callKpis(db, { from, to, interval: 'hour', by: 'node' });
 */
export async function callKpis(db: Kysely<Database>, q: KpiQuery): Promise<KpiRow[]> {
  const f = parseCallFilter(q);
  const stride = KPI_INTERVALS[q.interval];
  if (!stride) throw new AnalyticsInputError(`invalid interval ${String(q.interval)}; use 5min, hour or day`);
  if (q.by !== undefined && q.by !== 'node' && q.by !== 'trunk') {
    throw new AnalyticsInputError(`invalid by ${String(q.by)}; use node or trunk`);
  }
  const source = q.source ?? 'auto';
  if (source !== 'raw' && rollupCanAnswer(f)) {
    return (await rollupKpiQuery(db, f, q.interval, q.by).execute()) as unknown as KpiRow[];
  }
  if (source === 'rollup') {
    throw new AnalyticsInputError('the rollup answers only ranges on 5-minute edges filtered by node/trunk');
  }
  const bucket = sql<Date>`date_bin(${sql.lit(stride)}::interval, started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
  const group = q.by ? sql<string | null>`${sql.ref(q.by)}` : sql<string | null>`NULL::text`;
  const rows = await db
    .selectFrom('call_legs')
    .where((eb) => callFilterWhere(eb, f))
    .select([bucket.as('bucket'), group.as('group'), ...kpiSelections()])
    .groupBy([sql`1`, sql`2`])
    .orderBy(sql`1`)
    .orderBy(sql`2`)
    .execute();
  return rows as unknown as KpiRow[];
}
