import { z } from 'zod';
import { ApiError } from './api-error.ts';

/** Query parameters every list route accepts. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(512).optional(),
});

/** A page of `item`: the items and the cursor for the next page (null at the end). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Opaque cursor: base64url JSON of the last row's key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor against the key's schema; a tampered or stale cursor is a 400 on `query.cursor`. */
export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, key: T): z.output<T> | null {
  if (!cursor) return null;
  try {
    const parsed = key.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the error below
  }
  throw ApiError.validation([{ path: 'query.cursor', message: 'invalid cursor' }]);
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says there is more.
 *
 * @example
 * const rows = await repo.list(limit + 1, after); return toPage(rows, limit, (r) => ({ id: r.id }));
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Record<string, string | number>) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
