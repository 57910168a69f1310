import type { Database } from '@switchyard/core';
import type { Kysely } from 'kysely';
import { type CallFilterInput, parseCallFilter } from './call-filter.ts';
import { callPage, type CallRow } from './list-calls.ts';

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'leg_id',
  'started_at',
  'direction',
  'caller',
  'callee',
  'did',
  'campaign_id',
  'node',
  'trunk',
  'answered_at',
  'ended_at',
  'disposition',
  'hangup_cause',
  'sip_code',
  'ring_ms',
  'talk_ms',
  'total_ms',
  'pdd_ms',
  'mos',
  'jitter_ms',
  'packet_loss_pct',
  'ivr_last_state',
  'lost_reason',
] as const satisfies readonly (keyof CallRow)[];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The calls matching a filter as CSV (RFC 4180), yielded a page at a time so memory stays
 * flat however large the export; newest first.
 *
 * @example
 * for await (const chunk of exportCallsCsv(db, { from, to })) res.write(chunk);
 */
export async function* exportCallsCsv(
  db: Kysely<Database>,
  filter: CallFilterInput,
  pageSize = 1000,
): AsyncGenerator<string, void, undefined> {
  const f = parseCallFilter(filter);
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  let cursor: string | null = null;
  do {
    const page = await callPage(db, f, pageSize, cursor);
    if (page.items.length > 0) {
      yield page.items.map((r) => `${CSV_COLUMNS.map((c) => cell(r[c])).join(',')}\r\n`).join('');
    }
    cursor = page.next;
  } while (cursor);
}
