import type { Database } from '@switchyard/core';
import type { Kysely, Selectable } from 'kysely';
import type { CallLegsTable } from '@switchyard/core';
import { AnalyticsInputError, type CallFilter, type CallFilterInput, callFilterWhere, parseCallFilter } from './call-filter.ts';

/** One leg as analytics returns it. */
export type CallRow = Selectable<CallLegsTable>;

/** A page of calls, newest first; pass `next` back as `cursor` for the following page. */
export interface CallPage {
  items: CallRow[];
  next: string | null;
}

interface Cursor {
  t: string;
  id: string;
}

function encodeCursor(row: CallRow): string {
  return Buffer.from(JSON.stringify({ t: new Date(row.started_at).toISOString(), id: row.leg_id })).toString('base64url');
}

function decodeCursor(c: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString()) as Cursor;
    if (typeof v.t === 'string' && typeof v.id === 'string' && !Number.isNaN(Date.parse(v.t))) return v;
  } catch {
    // fall through to the error below
  }
  throw new AnalyticsInputError('invalid cursor');
}

/** Keyset page over a parsed filter (shared by listCalls and the CSV export). */
export async function callPage(db: Kysely<Database>, f: CallFilter, limit: number, cursor?: string | null): Promise<CallPage> {
  const c = cursor ? decodeCursor(cursor) : null;
  const items = await db
    .selectFrom('call_legs')
    .selectAll()
    .where((eb) => {
      const w = callFilterWhere(eb, f);
      if (!c) return w;
      return eb.and([w, eb(eb.refTuple('started_at', 'leg_id'), '<', eb.tuple(new Date(c.t), c.id))]);
    })
    .orderBy('started_at', 'desc')
    .orderBy('leg_id', 'desc')
    .limit(limit)
    .execute();
  return { items, next: items.length === limit ? encodeCursor(items[items.length - 1]!) : null };
}

/**
 * Calls matching a filter, newest first, with cursor pagination (stable under inserts).
 *
 * @example
 * let page = await listCalls(db, { from, to, node: 'fs1' }, { limit: 100 });
 * if (page.next) page = await listCalls(db, { from, to, node: 'fs1' }, { limit: 100, cursor: page.next });
 */
export async function listCalls(
  db: Kysely<Database>,
  filter: CallFilterInput,
  opts: { limit?: number; cursor?: string | null } = {},
): Promise<CallPage> {
  const limit = opts.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AnalyticsInputError('limit must be 1..1000');
  return callPage(db, parseCallFilter(filter), limit, opts.cursor);
}
