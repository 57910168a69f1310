import { type AliasedRawBuilder, sql } from 'kysely';

// KPI definitions, once (the BI view v_daily_kpis spells the same SQL in its migration).
// Rates are over ended legs (disposition known); durations over answered legs.
const ended = sql`count(*) FILTER (WHERE disposition IS NOT NULL)`;

/** Interval names and their Postgres `date_bin` strides. */
export const KPI_INTERVALS = { '5min': '5 minutes', hour: '1 hour', day: '1 day' } as const;
export type KpiInterval = keyof typeof KPI_INTERVALS;

/** The KPI columns every KPI query selects (numeric results come back as numbers). */
export function kpiSelections(): AliasedRawBuilder<unknown, keyof KpiFigures>[] {
  return [
    sql`count(*)::int`.as('calls'),
    sql`(count(*) FILTER (WHERE disposition = 'answered'))::int`.as('answered'),
    sql`(count(*) FILTER (WHERE disposition = 'answered'))::float8 / NULLIF(${ended}, 0)`.as('asr'),
    sql`(count(*) FILTER (WHERE disposition IN ('answered','busy','no_answer','rejected','abandoned')))::float8 / NULLIF(${ended}, 0)`.as(
      'ner',
    ),
    sql`(avg(talk_ms) FILTER (WHERE disposition = 'answered'))::float8 / 1000`.as('acd_s'),
    sql`(avg(total_ms) FILTER (WHERE disposition = 'answered'))::float8 / 1000`.as('aloc_s'),
    sql`avg(pdd_ms)::float8`.as('pdd_ms'),
    sql`(count(*) FILTER (WHERE disposition = 'abandoned'))::float8 / NULLIF(${ended}, 0)`.as('abandon_rate'),
    sql`avg(mos)::float8`.as('mos'),
    sql`avg(packet_loss_pct)::float8`.as('packet_loss_pct'),
  ];
}

/** One KPI row. Rates are 0..1; null when nothing to divide by. */
export interface KpiFigures {
  calls: number;
  answered: number;
  /** Answer-seizure ratio: answered / ended legs. */
  asr: number | null;
  /** Network effectiveness ratio: (answered + busy + no answer + rejected + abandoned) / ended. */
  ner: number | null;
  /** Average call duration: mean talk time of answered legs, seconds. */
  acd_s: number | null;
  /** Average length of call: mean total leg time (setup + ring + talk) of answered legs, seconds. */
  aloc_s: number | null;
  /** Mean post-dial delay, ms. */
  pdd_ms: number | null;
  /** Abandoned (caller gave up before answer) / ended legs. */
  abandon_rate: number | null;
  mos: number | null;
  packet_loss_pct: number | null;
}
