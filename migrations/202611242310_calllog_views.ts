import { type Kysely, sql } from 'kysely';

// Call log, part two: the column the recorder needs to merge IVR progress out of order,
// analyst indexes, day-partition retention, and the BI views. KPI definitions here match
// services/calllog/src/analytics/kpi-sql.ts (views must not import live code).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE call_legs ADD COLUMN ivr_last_step integer`.execute(db);
  await sql`CREATE INDEX call_legs_trunk ON call_legs (trunk, started_at)`.execute(db);
  await sql`CREATE INDEX call_legs_hangup_cause ON call_legs (hangup_cause, started_at)`.execute(db);
  await sql`CREATE INDEX call_legs_parent ON call_legs (parent_leg_id) WHERE parent_leg_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX ivr_steps_state_leg ON ivr_steps (state, leg_id)`.execute(db);

  await sql`
    CREATE FUNCTION switchyard_drop_call_leg_partitions(keep_days integer)
    RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      cutoff date := (now() AT TIME ZONE 'UTC')::date - keep_days;
      part record;
      dropped integer := 0;
    BEGIN
      FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                  WHERE i.inhparent = 'call_legs'::regclass AND c.relname ~ '^call_legs_[0-9]{8}$' LOOP
        IF to_date(substr(part.relname, 11), 'YYYYMMDD') < cutoff THEN
          EXECUTE format('DROP TABLE %I', part.relname);
          dropped := dropped + 1;
        END IF;
      END LOOP;
      DELETE FROM call_legs_default WHERE started_at < cutoff::timestamp AT TIME ZONE 'UTC';
      DELETE FROM ivr_steps WHERE at < cutoff::timestamp AT TIME ZONE 'UTC';
      RETURN dropped;
    END $$`.execute(db);

  await sql`
    CREATE VIEW v_calls AS
    SELECT leg_id, started_at, (started_at AT TIME ZONE 'UTC')::date AS day, direction, caller, callee, did,
           campaign_id, contact_id, attempt_id, node, trunk, engine_id, flow_id, flow_version, parent_leg_id,
           answered_at, bridged_at, bridged_to, transferred_to, ended_at, hangup_cause, sip_code,
           COALESCE(disposition, 'open') AS disposition, answered_at IS NOT NULL AS answered,
           ring_ms, talk_ms, total_ms, pdd_ms, mos, jitter_ms, packet_loss_pct, ivr_last_state, lost_reason
    FROM call_legs`.execute(db);
  await sql`
    CREATE VIEW v_daily_kpis AS
    SELECT (started_at AT TIME ZONE 'UTC')::date AS day, node, trunk,
           count(*) AS calls,
           count(*) FILTER (WHERE disposition = 'answered') AS answered,
           round(count(*) FILTER (WHERE disposition = 'answered')::numeric
                 / NULLIF(count(*) FILTER (WHERE disposition IS NOT NULL), 0), 4) AS asr,
           round(count(*) FILTER (WHERE disposition IN ('answered','busy','no_answer','rejected','abandoned'))::numeric
                 / NULLIF(count(*) FILTER (WHERE disposition IS NOT NULL), 0), 4) AS ner,
           round(avg(talk_ms) FILTER (WHERE disposition = 'answered') / 1000.0, 3) AS acd_s,
           round(avg(total_ms) FILTER (WHERE disposition = 'answered') / 1000.0, 3) AS aloc_s,
           round(avg(pdd_ms), 1) AS pdd_ms,
           round(count(*) FILTER (WHERE disposition = 'abandoned')::numeric
                 / NULLIF(count(*) FILTER (WHERE disposition IS NOT NULL), 0), 4) AS abandon_rate,
           round(avg(mos), 3) AS mos,
           round(avg(packet_loss_pct), 3) AS packet_loss_pct
    FROM call_legs GROUP BY 1, 2, 3`.execute(db);
  await sql`
    CREATE VIEW v_ivr_funnel AS
    SELECT s.flow_id, s.flow_version, s.state,
           count(DISTINCT s.leg_id) AS reached,
           count(DISTINCT s.leg_id) FILTER (WHERE l.ivr_last_state = s.state AND l.ended_at IS NOT NULL) AS dropped_here,
           min(s.at) AS first_at, max(s.at) AS last_at
    FROM ivr_steps s LEFT JOIN call_legs l ON l.leg_id = s.leg_id
    GROUP BY 1, 2, 3`.execute(db);
  await sql`
    CREATE VIEW v_campaign_outcomes AS
    SELECT campaign_id, (started_at AT TIME ZONE 'UTC')::date AS day, COALESCE(disposition, 'open') AS disposition,
           count(*) AS legs, count(DISTINCT contact_id) AS contacts,
           round(avg(talk_ms) FILTER (WHERE disposition = 'answered') / 1000.0, 3) AS acd_s
    FROM call_legs WHERE campaign_id IS NOT NULL GROUP BY 1, 2, 3`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const v of ['v_campaign_outcomes', 'v_ivr_funnel', 'v_daily_kpis', 'v_calls']) {
    await sql`DROP VIEW ${sql.table(v)}`.execute(db);
  }
  await sql`DROP FUNCTION switchyard_drop_call_leg_partitions(integer)`.execute(db);
  await sql`DROP INDEX ivr_steps_state_leg`.execute(db);
  await sql`DROP INDEX call_legs_parent`.execute(db);
  await sql`DROP INDEX call_legs_hangup_cause`.execute(db);
  await sql`DROP INDEX call_legs_trunk`.execute(db);
  await sql`ALTER TABLE call_legs DROP COLUMN ivr_last_step`.execute(db);
}
