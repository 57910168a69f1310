import { type Kysely, sql } from 'kysely';

// Dialer additions: contact import jobs and their per-row error reports, a log of every
// contact the dialer skipped (DNC, prefix guard), when an attempt was answered (for the
// abandon rate), and whether a stop also ends calls in flight.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE contact_imports (
      id bigserial PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running','done','failed')),
      total_rows integer NOT NULL DEFAULT 0,
      imported integer NOT NULL DEFAULT 0,
      failed integer NOT NULL DEFAULT 0,
      error text,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE contact_import_errors (
      import_id bigint NOT NULL REFERENCES contact_imports(id) ON DELETE CASCADE,
      row_no integer NOT NULL,
      phone_raw text NOT NULL DEFAULT '',
      reason text NOT NULL CHECK (reason IN ('bad_number','duplicate','unknown_timezone','bad_row')),
      detail text NOT NULL DEFAULT '',
      PRIMARY KEY (import_id, row_no)
    )`.execute(db);
  await sql`
    CREATE TABLE dialer_skips (
      id bigserial PRIMARY KEY,
      campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      contact_id bigint REFERENCES contacts(id) ON DELETE CASCADE,
      phone_e164 text NOT NULL,
      reason text NOT NULL CHECK (reason IN ('dnc','prefix')),
      detail text NOT NULL DEFAULT '',
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX dialer_skips_campaign ON dialer_skips (campaign_id, reason)`.execute(db);
  await sql`ALTER TABLE attempts ADD COLUMN answered_at timestamptz`.execute(db);
  await sql`CREATE INDEX attempts_campaign_ended ON attempts (campaign_id, ended_at)`.execute(db);
  await sql`ALTER TABLE campaigns ADD COLUMN stop_hangup boolean NOT NULL DEFAULT false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE campaigns DROP COLUMN stop_hangup`.execute(db);
  await sql`DROP INDEX attempts_campaign_ended`.execute(db);
  await sql`ALTER TABLE attempts DROP COLUMN answered_at`.execute(db);
  for (const t of ['dialer_skips', 'contact_import_errors', 'contact_imports']) await sql`DROP TABLE ${sql.table(t)}`.execute(db);
}
