import { sql } from 'kysely';
import { isValidTimeZone } from '../core/calling-window.ts';
import { CsvParser } from '../core/csv-parser.ts';
import { toE164 } from '../core/phone-number.ts';
import type { DialerDb, ImportErrorReason } from '../db/dialer-schema.ts';

/** Summary of one import job. */
export interface ImportSummary {
  importId: string;
  totalRows: number;
  imported: number;
  failed: number;
}

export interface ImportOptions {
  /** ISO country for numbers written in national format. */
  defaultCountry?: string;
  /** Rows per INSERT (memory is bounded by this, not by the file). */
  batchSize?: number;
}

export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

const PHONE_COLUMNS = ['phone', 'phone_number', 'number', 'msisdn', 'phone_e164'];

interface Row {
  rowNo: number;
  raw: string;
  phone: string;
  name: string | null;
  timezone: string | null;
  priority: number;
  data: Record<string, string>;
}
interface RowError {
  rowNo: number;
  raw: string;
  reason: ImportErrorReason;
  detail: string;
}

/**
 * Streams a CSV (header row required; a `phone` column, optional `name`, `timezone`,
 * `priority`; other columns go to `data`) into a campaign's contacts in batches. Bad rows
 * land in `contact_import_errors` (bad number, duplicate, unknown time zone); valid rows
 * are kept. Row numbers count data rows from 1 (the header is row 0).
 *
 * @example
 * await new ContactImporter(db).import(campaignId, fs.createReadStream('contacts.csv'), { defaultCountry: 'GB' });
 */
export class ContactImporter {
  constructor(private readonly db: DialerDb) {}

  async import(
    campaignId: string,
    source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
    opts: ImportOptions = {},
  ): Promise<ImportSummary> {
    const job = await this.db.insertInto('contact_imports').values({ campaign_id: campaignId }).returning('id').executeTakeFirstOrThrow();
    const st = { importId: job.id, totalRows: 0, imported: 0, failed: 0 };
    try {
      await this.run(campaignId, source, opts, st);
      await this.finish(st, 'done', null);
      return st;
    } catch (err) {
      await this.finish(st, 'failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private async run(
    campaignId: string,
    source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
    opts: ImportOptions,
    st: ImportSummary,
  ): Promise<void> {
    const batchSize = opts.batchSize ?? 1000;
    const parser = new CsvParser();
    const decoder = new TextDecoder('utf-8');
    let header: string[] | null = null;
    let rows: Row[] = [];
    let errors: RowError[] = [];
    const handle = async (records: string[][]) => {
      for (const rec of records) {
        if (!header) {
          header = rec.map((h) => h.trim().toLowerCase().replace(/^\ufeff/, ''));
          if (!header.some((h) => PHONE_COLUMNS.includes(h))) {
            throw new ImportFormatError(`CSV header needs a phone column (one of ${PHONE_COLUMNS.join(', ')})`);
          }
          continue;
        }
        st.totalRows++;
        const r = parseRow(header, rec, st.totalRows, opts.defaultCountry);
        if ('reason' in r) errors.push(r);
        else rows.push(r);
        if (rows.length >= batchSize) {
          await this.flush(campaignId, st, rows, errors);
          rows = [];
          errors = [];
        } else if (errors.length >= batchSize) {
          await this.writeErrors(st, errors);
          errors = [];
        }
      }
    };
    for await (const chunk of source) {
      await handle(parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })));
    }
    await handle(parser.push(decoder.decode()));
    await handle(parser.end());
    if (!header) throw new ImportFormatError('CSV is empty');
    await this.flush(campaignId, st, rows, errors);
  }

  /** Inserts a batch; rows that hit an existing (campaign, phone) or repeat one in the batch are duplicates. */
  private async flush(campaignId: string, st: ImportSummary, rows: Row[], errors: RowError[]): Promise<void> {
    if (rows.length > 0) {
      const first = new Map<string, Row>();
      for (const r of rows) {
        if (first.has(r.phone)) errors.push({ rowNo: r.rowNo, raw: r.raw, reason: 'duplicate', detail: `repeats row ${first.get(r.phone)!.rowNo}` });
        else first.set(r.phone, r);
      }
      const inserted = await this.db
        .insertInto('contacts')
        .values(
          [...first.values()].map((r) => ({
            campaign_id: campaignId,
            phone_e164: r.phone,
            name: r.name,
            timezone: r.timezone,
            priority: r.priority,
            data: JSON.stringify(r.data),
            next_attempt_at: sql<Date>`now()`,
          })),
        )
        .onConflict((oc) => oc.columns(['campaign_id', 'phone_e164']).doNothing())
        .returning('phone_e164')
        .execute();
      const got = new Set(inserted.map((r) => r.phone_e164));
      st.imported += got.size;
      for (const r of first.values()) {
        if (!got.has(r.phone)) errors.push({ rowNo: r.rowNo, raw: r.raw, reason: 'duplicate', detail: 'already in the campaign' });
      }
    }
    await this.writeErrors(st, errors);
  }

  private async writeErrors(st: ImportSummary, errors: RowError[]): Promise<void> {
    if (errors.length === 0) return;
    st.failed += errors.length;
    await this.db
      .insertInto('contact_import_errors')
      .values(errors.map((e) => ({ import_id: st.importId, row_no: e.rowNo, phone_raw: e.raw.slice(0, 200), reason: e.reason, detail: e.detail })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  private async finish(st: ImportSummary, status: 'done' | 'failed', error: string | null): Promise<void> {
    await this.db
      .updateTable('contact_imports')
      .set({ status, error, total_rows: st.totalRows, imported: st.imported, failed: st.failed, finished_at: sql`now()` })
      .where('id', '=', st.importId)
      .execute();
  }
}

function parseRow(header: string[], rec: string[], rowNo: number, defaultCountry?: string): Row | RowError {
  const data: Record<string, string> = {};
  let raw = '';
  let name: string | null = null;
  let timezone: string | null = null;
  let priority = 0;
  header.forEach((h, i) => {
    const v = (rec[i] ?? '').trim();
    if (PHONE_COLUMNS.includes(h) && !raw) raw = v;
    else if (h === 'name') name = v || null;
    else if (h === 'timezone' || h === 'time_zone' || h === 'tz') timezone = v || null;
    else if (h === 'priority') priority = Number.parseInt(v, 10) || 0;
    else if (h && v) data[h] = v;
  });
  if (rec.length > header.length + 5) return { rowNo, raw, reason: 'bad_row', detail: `${rec.length} fields, header has ${header.length}` };
  const phone = toE164(raw, defaultCountry);
  if (!phone) return { rowNo, raw, reason: 'bad_number', detail: raw ? 'not a valid number' : 'empty' };
  if (timezone !== null && !isValidTimeZone(timezone)) return { rowNo, raw, reason: 'unknown_timezone', detail: timezone };
  return { rowNo, raw, phone, name, timezone, priority, data };
}
