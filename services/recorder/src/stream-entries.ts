import { type CallLogEvent, parseCallLogEvent } from '@switchyard/calllog';

/** One stream entry as Redis returns it: id plus flat field/value list (null once trimmed). */
export interface StreamEntry {
  id: string;
  fields: string[] | null;
}

/** A parsed entry, or why it is poison. */
export type DecodedEntry = { id: string; event: CallLogEvent } | { id: string; poison: string; raw: string };

/** Flattens an XREADGROUP / XAUTOCLAIM reply's entry list. */
export function toEntries(list: unknown): StreamEntry[] {
  if (!Array.isArray(list)) return [];
  return list.map((e) => {
    const [id, fields] = e as [string, string[] | null];
    return { id, fields };
  });
}

/** Entries of the first stream of an XREADGROUP reply (null = timeout). */
export function fromReadGroupReply(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  return toEntries((reply[0] as [string, unknown])[1]);
}

/** Decodes the `e` field of an entry; anything unparseable is poison with a reason. */
export function decodeEntry(entry: StreamEntry): DecodedEntry {
  const f = entry.fields ?? [];
  let raw: string | undefined;
  for (let i = 0; i + 1 < f.length; i += 2) if (f[i] === 'e') raw = f[i + 1];
  if (raw === undefined) return { id: entry.id, poison: 'entry has no `e` field', raw: JSON.stringify(f) };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { id: entry.id, poison: `not JSON: ${(err as Error).message}`, raw };
  }
  const r = parseCallLogEvent(json);
  return r.ok ? { id: entry.id, event: r.event } : { id: entry.id, poison: r.error.message, raw };
}
