import { csvField } from '../core/csv-parser.ts';
import type { DialerDb } from '../db/dialer-schema.ts';

/**
 * The downloadable per-row error report of one import, as CSV lines (header first),
 * paged from Postgres so a large report never sits in memory.
 *
 * @example
 * for await (const line of importErrorReport(db, importId)) res.write(line);
 */
export async function* importErrorReport(db: DialerDb, importId: string, pageSize = 1000): AsyncGenerator<string> {
  yield 'row,phone,reason,detail\n';
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('contact_import_errors')
      .select(['row_no', 'phone_raw', 'reason', 'detail'])
      .where('import_id', '=', importId)
      .where('row_no', '>', after)
      .orderBy('row_no')
      .limit(pageSize)
      .execute();
    for (const e of page) yield `${e.row_no},${csvField(e.phone_raw)},${e.reason},${csvField(e.detail)}\n`;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.row_no;
  }
}

/** The import job's status and counts, or undefined. */
export async function importStatus(db: DialerDb, importId: string) {
  return db.selectFrom('contact_imports').selectAll().where('id', '=', importId).executeTakeFirst();
}
