import type { Database } from '@switchyard/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { NER_DISPOSITIONS } from '../fold/disposition.ts';
import type { CallFilter } from './call-filter.ts';
import { KPI_INTERVALS, type KpiInterval } from './kpi-sql.ts';

/** Width of a rollup bucket. */
export const ROLLUP_BUCKET_MS = 5 * 60_000;
const ORIGIN = sql`TIMESTAMPTZ '2000-01-01 00:00:00+00'`;
/** Dirty buckets closer than this are refreshed by one statement. */
const MERGE_GAP = 12;

/** The 5-minute bucket (epoch ms of its start) a leg's started_at falls in. */
export function rollupBucketOf(startedAt: Date): number {
  return Math.floor(startedAt.getTime() / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
}

function ranges(buckets: Iterable<number>): [number, number][] {
  const sorted = [...new Set(buckets)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && b - last[1] <= MERGE_GAP * ROLLUP_BUCKET_MS) last[1] = b + ROLLUP_BUCKET_MS;
    else out.push([b, b + ROLLUP_BUCKET_MS]);
  }
  return out;
}

/**
 * Recomputes the rollup rows of the given buckets (epoch ms, see {@link rollupBucketOf})
 * from call_legs. Recomputing (not incrementing) keeps it idempotent and exact whatever
 * order legs were merged in.
 *
 * @example
 * await refreshKpiRollup(db, [rollupBucketOf(new Date())]);
 */
export async function refreshKpiRollup(db: Kysely<Database>, buckets: Iterable<number>): Promise<number> {
  let n = 0;
  for (const [lo, hi] of ranges(buckets)) {
    const from = new Date(lo);
    const to = new Date(hi);
    await db.transaction().execute(async (trx) => {
      await sql`DELETE FROM call_kpi_5min WHERE bucket >= ${from} AND bucket < ${to}`.execute(trx);
      await sql`
        INSERT INTO call_kpi_5min (bucket, node, trunk, calls, ended, answered, ner_ok, abandoned, talk_sum, talk_n,
                                   total_sum, total_n, pdd_sum, pdd_n, mos_sum, mos_n, loss_sum, loss_n)
        SELECT date_bin('5 minutes'::interval, started_at, ${ORIGIN}), COALESCE(node, ''), COALESCE(trunk, ''),
               count(*), count(*) FILTER (WHERE disposition IS NOT NULL), count(*) FILTER (WHERE disposition = 'answered'),
               count(*) FILTER (WHERE disposition = ANY(${[...NER_DISPOSITIONS]}::text[])),
               count(*) FILTER (WHERE disposition = 'abandoned'),
               COALESCE(sum(talk_ms) FILTER (WHERE disposition = 'answered'), 0), count(talk_ms) FILTER (WHERE disposition = 'answered'),
               COALESCE(sum(total_ms) FILTER (WHERE disposition = 'answered'), 0), count(total_ms) FILTER (WHERE disposition = 'answered'),
               COALESCE(sum(pdd_ms), 0), count(pdd_ms), COALESCE(sum(mos), 0), count(mos),
               COALESCE(sum(packet_loss_pct), 0), count(packet_loss_pct)
        FROM call_legs WHERE started_at >= ${from} AND started_at < ${to}
        GROUP BY 1, 2, 3
        ON CONFLICT (bucket, node, trunk) DO UPDATE SET
          calls = EXCLUDED.calls, ended = EXCLUDED.ended, answered = EXCLUDED.answered, ner_ok = EXCLUDED.ner_ok,
          abandoned = EXCLUDED.abandoned, talk_sum = EXCLUDED.talk_sum, talk_n = EXCLUDED.talk_n,
          total_sum = EXCLUDED.total_sum, total_n = EXCLUDED.total_n, pdd_sum = EXCLUDED.pdd_sum, pdd_n = EXCLUDED.pdd_n,
          mos_sum = EXCLUDED.mos_sum, mos_n = EXCLUDED.mos_n, loss_sum = EXCLUDED.loss_sum, loss_n = EXCLUDED.loss_n,
          refreshed_at = now()`.execute(trx);
    });
    n += (hi - lo) / ROLLUP_BUCKET_MS;
  }
  return n;
}

/** Whether a KPI query can be answered from the rollup (range on bucket edges, node/trunk filters only). */
export function rollupCanAnswer(f: CallFilter): boolean {
  const { from, to, node, trunk, ...rest } = f;
  const others = Object.values(rest).some((v) => v !== undefined);
  return !others && from.getTime() % ROLLUP_BUCKET_MS === 0 && to.getTime() % ROLLUP_BUCKET_MS === 0;
}

/** KPI rows from the rollup; same columns and definitions as the raw query. */
export function rollupKpiQuery(db: Kysely<Database>, f: CallFilter, interval: KpiInterval, by?: 'node' | 'trunk') {
  const ratio = (num: string, den: string, scale = '') => sql.raw(`sum(${num})::float8 / NULLIF(sum(${den}), 0)${scale}`);
  const group: RawBuilder<string | null> = by ? sql`NULLIF(${sql.ref(by)}, '')` : sql`NULL::text`;
  let q = db
    .selectFrom('call_kpi_5min')
    .where('bucket', '>=', f.from)
    .where('bucket', '<', f.to)
    .select([
      sql<Date>`date_bin(${sql.lit(KPI_INTERVALS[interval])}::interval, bucket, ${ORIGIN})`.as('bucket'),
      group.as('group'),
      sql<number>`sum(calls)::int`.as('calls'),
      sql<number>`sum(answered)::int`.as('answered'),
      ratio('answered', 'ended').as('asr'),
      ratio('ner_ok', 'ended').as('ner'),
      ratio('talk_sum', 'talk_n', ' / 1000').as('acd_s'),
      ratio('total_sum', 'total_n', ' / 1000').as('aloc_s'),
      ratio('pdd_sum', 'pdd_n').as('pdd_ms'),
      ratio('abandoned', 'ended').as('abandon_rate'),
      ratio('mos_sum', 'mos_n').as('mos'),
      ratio('loss_sum', 'loss_n').as('packet_loss_pct'),
    ])
    .groupBy([sql`1`, sql`2`])
    .orderBy(sql`1`)
    .orderBy(sql`2`);
  if (f.node) q = q.where('node', '=', f.node);
  if (f.trunk) q = q.where('trunk', '=', f.trunk);
  return q;
}
