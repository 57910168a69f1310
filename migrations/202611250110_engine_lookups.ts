import { type Kysely, sql } from 'kysely';

/** Accounts the `account.balance` IVR lookup reads (with a few demo rows). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE engine_accounts (
      account text PRIMARY KEY CHECK (account ~ '^[0-9]{1,32}$'),
      balance numeric(14, 2) NOT NULL DEFAULT 0,
      currency text NOT NULL DEFAULT 'GBP',
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`INSERT INTO engine_accounts (account, balance) VALUES ('100123', 123), ('1234567', 567.50), ('555555', 0)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE engine_accounts`.execute(db);
}
