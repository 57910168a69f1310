import { type Kysely, sql } from 'kysely';

// DID routing and IVR flows. A flow version is immutable once published; a call keeps
// the version it started with, so versions are rows, never updates in place.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ivr_flows (
      id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      source text NOT NULL DEFAULT 'data' CHECK (source IN ('code','data')),
      published_version integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE ivr_flow_versions (
      flow_id text NOT NULL REFERENCES ivr_flows(id) ON DELETE CASCADE,
      version integer NOT NULL CHECK (version > 0),
      definition jsonb NOT NULL,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','retired')),
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      PRIMARY KEY (flow_id, version)
    )`.execute(db);
  // Menus and their options, per flow version (the data authoring form).
  await sql`
    CREATE TABLE ivr_menus (
      flow_id text NOT NULL,
      version integer NOT NULL,
      menu_id text NOT NULL,
      prompt text NOT NULL,
      invalid_prompt text,
      min_digits integer NOT NULL DEFAULT 1,
      max_digits integer NOT NULL DEFAULT 1,
      terminator text,
      inter_digit_timeout_ms integer,
      no_input_timeout_ms integer,
      max_retries integer,
      on_exhausted jsonb,
      parent_menu_id text,
      PRIMARY KEY (flow_id, version, menu_id),
      FOREIGN KEY (flow_id, version) REFERENCES ivr_flow_versions(flow_id, version) ON DELETE CASCADE
    )`.execute(db);
  await sql`
    CREATE TABLE ivr_menu_options (
      flow_id text NOT NULL,
      version integer NOT NULL,
      menu_id text NOT NULL,
      digits text NOT NULL,
      action jsonb NOT NULL,
      PRIMARY KEY (flow_id, version, menu_id, digits),
      FOREIGN KEY (flow_id, version, menu_id) REFERENCES ivr_menus(flow_id, version, menu_id) ON DELETE CASCADE
    )`.execute(db);
  // The prompt catalogue: prompts are preloaded on nodes, never fetched mid-call.
  await sql`
    CREATE TABLE ivr_prompts (
      id text PRIMARY KEY,
      file_path text NOT NULL,
      duration_ms integer,
      description text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE did_routes (
      did text PRIMARY KEY CHECK (did ~ '^\\+?[0-9*#]{1,32}$' OR did = 'default'),
      flow_id text NOT NULL REFERENCES ivr_flows(id),
      flavour text NOT NULL DEFAULT 'inbound' CHECK (flavour IN ('inbound','outbound')),
      enabled boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['did_routes', 'ivr_prompts', 'ivr_menu_options', 'ivr_menus', 'ivr_flow_versions', 'ivr_flows']) {
    await sql`DROP TABLE ${sql.table(t)}`.execute(db);
  }
}
