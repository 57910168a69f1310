import type { AttemptsTable, CampaignsTable, Database } from '@switchyard/core';
import type { ColumnType, Generated, Kysely } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

// The dialer's own tables (migrations/202611242320_dialer.ts), kept here rather than in
// core's schema.ts so the dialer's additions travel with the dialer.
export interface ContactImportsTable {
  id: Generated<string>;
  campaign_id: string;
  status: ColumnType<'running' | 'done' | 'failed', 'running' | 'done' | 'failed' | undefined>;
  total_rows: Generated<number>;
  imported: Generated<number>;
  failed: Generated<number>;
  error: string | null;
  started_at: Generated<Date>;
  finished_at: NullableTimestamp;
}
export type ImportErrorReason = 'bad_number' | 'duplicate' | 'unknown_timezone' | 'bad_row';
export interface ContactImportErrorsTable {
  import_id: string;
  row_no: number;
  phone_raw: string;
  reason: ImportErrorReason;
  detail: string;
}
export type SkipReason = 'dnc' | 'prefix';
export interface DialerSkipsTable {
  id: Generated<string>;
  campaign_id: string;
  contact_id: string | null;
  phone_e164: string;
  reason: SkipReason;
  detail: string;
  at: Generated<Date>;
}

/** Core's tables plus the dialer's, with the dialer's added columns. */
export interface DialerDatabase extends Omit<Database, 'attempts' | 'campaigns'> {
  attempts: AttemptsTable & { answered_at: NullableTimestamp };
  campaigns: CampaignsTable & { stop_hangup: Generated<boolean> };
  contact_imports: ContactImportsTable;
  contact_import_errors: ContactImportErrorsTable;
  dialer_skips: DialerSkipsTable;
}

/** The Kysely handle the dialer works with (any `Kysely<Database>` from core fits by a cast). */
export type DialerDb = Kysely<DialerDatabase>;

/** Views a core `Kysely<Database>` as the dialer's schema (same connection pool). */
export function asDialerDb(db: Kysely<Database>): DialerDb {
  return db as unknown as DialerDb;
}
