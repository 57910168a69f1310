import { type Kysely, sql } from 'kysely';

// Outbound campaigns. An attempt row is written before its originate is sent and is
// unique per (contact, attempt number): the database itself refuses a double dial.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE campaigns (
      id bigserial PRIMARY KEY,
      name text NOT NULL UNIQUE,
      flow_id text NOT NULL REFERENCES ivr_flows(id),
      caller_id text NOT NULL,
      gateway text NOT NULL,
      allowed_prefixes text[] NOT NULL DEFAULT '{}',
      windows jsonb NOT NULL DEFAULT '[]',
      holidays date[] NOT NULL DEFAULT '{}',
      default_timezone text NOT NULL DEFAULT 'UTC',
      max_cps numeric(8,3) NOT NULL DEFAULT 1 CHECK (max_cps > 0),
      max_concurrent integer NOT NULL DEFAULT 10 CHECK (max_concurrent > 0),
      retry_policy jsonb NOT NULL DEFAULT '{}',
      max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
      priority integer NOT NULL DEFAULT 0,
      abandon_budget_pct numeric(5,2) NOT NULL DEFAULT 3 CHECK (abandon_budget_pct >= 0),
      state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','running','paused','completed','stopped')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE contacts (
      id bigserial PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      phone_e164 text NOT NULL CHECK (phone_e164 ~ '^\\+[1-9][0-9]{6,14}$'),
      name text,
      timezone text,
      data jsonb NOT NULL DEFAULT '{}',
      state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending','dialling','answered','retry','exhausted','dnc','done','refused')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_outcome text,
      priority integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (campaign_id, phone_e164)
    )`.execute(db);
  await sql`CREATE INDEX contacts_due ON contacts (campaign_id, next_attempt_at, priority DESC) WHERE state IN ('pending','retry')`.execute(
    db,
  );
  await sql`
    CREATE TABLE attempts (
      id bigserial PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      contact_id bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      attempt_no integer NOT NULL,
      phone_e164 text NOT NULL,
      node text,
      job_uuid uuid UNIQUE,
      call_uuid uuid,
      fencing_token bigint,
      dialler_id text,
      started_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz,
      outcome text,
      hangup_cause text,
      UNIQUE (contact_id, attempt_no)
    )`.execute(db);
  await sql`CREATE INDEX attempts_open ON attempts (campaign_id) WHERE ended_at IS NULL`.execute(db);
  await sql`
    CREATE TABLE dnc (
      id bigserial PRIMARY KEY,
      phone_e164 text NOT NULL,
      campaign_id bigint REFERENCES campaigns(id) ON DELETE CASCADE,
      reason text NOT NULL DEFAULT '',
      source text NOT NULL DEFAULT 'manual',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // One entry per number per scope; a NULL campaign is the global list.
  await sql`CREATE UNIQUE INDEX dnc_scope ON dnc (phone_e164, campaign_id) NULLS NOT DISTINCT`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['dnc', 'attempts', 'contacts', 'campaigns']) await sql`DROP TABLE ${sql.table(t)}`.execute(db);
}
