import { type Kysely, sql } from 'kysely';

// KPI rollup: per 5-minute bucket (on started_at), node and trunk, the sums the KPIs are
// made of. The recorder recomputes the buckets it touched; analytics reads it for
// time/node/trunk-only KPI queries (services/calllog/src/analytics/kpi-rollup.ts).
// node/trunk are '' when unknown (they are part of the key).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE call_kpi_5min (
      bucket timestamptz NOT NULL,
      node text NOT NULL DEFAULT '',
      trunk text NOT NULL DEFAULT '',
      calls integer NOT NULL,
      ended integer NOT NULL,
      answered integer NOT NULL,
      ner_ok integer NOT NULL,
      abandoned integer NOT NULL,
      talk_sum bigint NOT NULL,
      talk_n integer NOT NULL,
      total_sum bigint NOT NULL,
      total_n integer NOT NULL,
      pdd_sum bigint NOT NULL,
      pdd_n integer NOT NULL,
      mos_sum double precision NOT NULL,
      mos_n integer NOT NULL,
      loss_sum double precision NOT NULL,
      loss_n integer NOT NULL,
      refreshed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (bucket, node, trunk)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE call_kpi_5min`.execute(db);
}
