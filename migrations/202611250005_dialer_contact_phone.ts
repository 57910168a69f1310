import { type Kysely, sql } from 'kysely';

// A DNC entry (global or per campaign) blocks matching contacts at once; find them by number
// without scanning every campaign's contacts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX contacts_phone ON contacts (phone_e164)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX contacts_phone`.execute(db);
}
