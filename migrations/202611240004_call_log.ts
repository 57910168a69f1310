import { type Kysely, sql } from 'kysely';

// The call log. call_legs is range-partitioned by day on started_at; a DEFAULT partition
// catches anything outside the pre-created range so an insert never fails for want of a
// partition. switchyard_ensure_call_leg_partitions() creates days ahead (run by the
// recorder on a timer and by setup).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE call_legs (
      leg_id uuid NOT NULL,
      started_at timestamptz NOT NULL,
      direction text NOT NULL CHECK (direction IN ('inbound','outbound','transfer')),
      caller text,
      callee text,
      did text,
      campaign_id bigint,
      contact_id bigint,
      attempt_id bigint,
      node text,
      engine_id text,
      flow_id text,
      flow_version integer,
      parent_leg_id uuid,
      trunk text,
      answered_at timestamptz,
      bridged_at timestamptz,
      bridged_to text,
      transferred_to text,
      ended_at timestamptz,
      hangup_cause text,
      sip_code integer,
      disposition text,
      ring_ms integer,
      talk_ms integer,
      total_ms integer,
      pdd_ms integer,
      mos numeric(4,2),
      jitter_ms numeric(10,3),
      packet_loss_pct numeric(6,3),
      ivr_last_state text,
      lost_reason text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (leg_id, started_at)
    ) PARTITION BY RANGE (started_at)`.execute(db);
  await sql`CREATE TABLE call_legs_default PARTITION OF call_legs DEFAULT`.execute(db);
  await sql`CREATE INDEX call_legs_started ON call_legs (started_at)`.execute(db);
  await sql`CREATE INDEX call_legs_caller ON call_legs (caller, started_at)`.execute(db);
  await sql`CREATE INDEX call_legs_callee ON call_legs (callee, started_at)`.execute(db);
  await sql`CREATE INDEX call_legs_campaign ON call_legs (campaign_id, started_at) WHERE campaign_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX call_legs_node ON call_legs (node, started_at)`.execute(db);
  await sql`CREATE INDEX call_legs_disposition ON call_legs (disposition, started_at)`.execute(db);
  await sql`CREATE INDEX call_legs_open ON call_legs (started_at) WHERE ended_at IS NULL`.execute(db);

  await sql`
    CREATE FUNCTION switchyard_ensure_call_leg_partitions(days_back integer, days_ahead integer)
    RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      d date;
      created integer := 0;
      name text;
    BEGIN
      FOR d IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date - days_back,
                                      (now() AT TIME ZONE 'UTC')::date + days_ahead, interval '1 day')::date LOOP
        name := 'call_legs_' || to_char(d, 'YYYYMMDD');
        IF to_regclass(name) IS NULL THEN
          -- rows already caught by the default partition for this day must move first
          EXECUTE format('CREATE TABLE %I (LIKE call_legs INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name);
          EXECUTE format('WITH moved AS (DELETE FROM call_legs_default WHERE started_at >= %L::timestamptz AND started_at < %L::timestamptz RETURNING *) INSERT INTO %I SELECT * FROM moved',
                         d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00', name);
          EXECUTE format('ALTER TABLE call_legs ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                         name, d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
          created := created + 1;
        END IF;
      END LOOP;
      RETURN created;
    END $$`.execute(db);
  await sql`SELECT switchyard_ensure_call_leg_partitions(1, 7)`.execute(db);

  await sql`
    CREATE TABLE ivr_steps (
      leg_id uuid NOT NULL,
      seq integer NOT NULL,
      at timestamptz NOT NULL,
      flow_id text,
      flow_version integer,
      state text NOT NULL,
      kind text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (leg_id, seq)
    )`.execute(db);
  await sql`CREATE INDEX ivr_steps_at ON ivr_steps (at)`.execute(db);
  await sql`CREATE INDEX ivr_steps_flow_state ON ivr_steps (flow_id, state, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ivr_steps`.execute(db);
  await sql`DROP TABLE call_legs`.execute(db);
  await sql`DROP FUNCTION switchyard_ensure_call_leg_partitions(integer, integer)`.execute(db);
}
