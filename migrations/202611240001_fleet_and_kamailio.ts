import { type Kysely, sql } from 'kysely';

// Fleet nodes (our truth) plus Kamailio 5.6's own `version`, `dispatcher` and `address`
// tables, column for column as /usr/share/kamailio/postgres/*-create.sql defines them:
// db_postgres checks `version` at start-up (dispatcher 1–4, address exactly 6).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE nodes (
      id serial PRIMARY KEY,
      name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
      esl_host text NOT NULL,
      esl_port integer NOT NULL CHECK (esl_port BETWEEN 1 AND 65535),
      sip_uri text NOT NULL,
      weight integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 0 AND 100),
      set_id integer NOT NULL DEFAULT 1 CHECK (set_id > 0),
      state text NOT NULL DEFAULT 'registered'
        CHECK (state IN ('registered','probing','active','draining','removed')),
      drain_started_at timestamptz,
      drain_timeout_secs integer NOT NULL DEFAULT 600,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX nodes_sip_uri_live ON nodes (sip_uri) WHERE state <> 'removed'`.execute(db);

  await sql`
    CREATE TABLE version (
      id SERIAL PRIMARY KEY NOT NULL,
      table_name VARCHAR(32) NOT NULL,
      table_version INTEGER DEFAULT 0 NOT NULL,
      CONSTRAINT version_table_name_idx UNIQUE (table_name)
    )`.execute(db);
  await sql`
    CREATE TABLE dispatcher (
      id SERIAL PRIMARY KEY NOT NULL,
      setid INTEGER DEFAULT 0 NOT NULL,
      destination VARCHAR(192) DEFAULT '' NOT NULL,
      flags INTEGER DEFAULT 0 NOT NULL,
      priority INTEGER DEFAULT 0 NOT NULL,
      attrs VARCHAR(128) DEFAULT '' NOT NULL,
      description VARCHAR(64) DEFAULT '' NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE address (
      id SERIAL PRIMARY KEY NOT NULL,
      grp INTEGER DEFAULT 1 NOT NULL,
      ip_addr VARCHAR(50) NOT NULL,
      mask INTEGER DEFAULT 32 NOT NULL,
      port SMALLINT DEFAULT 0 NOT NULL,
      tag VARCHAR(64)
    )`.execute(db);
  await sql`INSERT INTO version (table_name, table_version) VALUES ('version', 1), ('dispatcher', 4), ('address', 6)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE address`.execute(db);
  await sql`DROP TABLE dispatcher`.execute(db);
  await sql`DROP TABLE version`.execute(db);
  await sql`DROP TABLE nodes`.execute(db);
}
