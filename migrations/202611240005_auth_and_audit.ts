import { type Kysely, sql } from 'kysely';

// API tokens are stored as SHA-256 hashes; the clear token is shown once at creation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_tokens (
      id bigserial PRIMARY KEY,
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin','ops','campaign','analyst')),
      token_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text,
      before jsonb,
      after jsonb
    )`.execute(db);
  await sql`CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at)`.execute(db);
  await sql`CREATE INDEX audit_log_at ON audit_log (at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_log`.execute(db);
  await sql`DROP TABLE api_tokens`.execute(db);
}
