/**
 * Lazy lookup of one top-level string field in a cJSON-serialised event without parsing the
 * object. A match of `"Name":"` counts only when its quote follows `{` or `,` — inside a JSON
 * string every quote is escaped, so that pattern cannot occur there.
 */

import { Needle } from '../codec/needle.ts';

const needles = new Map<string, Needle>();

/** `Name":"` — the opening quote is checked by hand: starting the search at it is slow (needle.ts). */
function needle(name: string): Needle {
  let p = needles.get(name);
  if (!p) {
    p = new Needle(Buffer.from(JSON.stringify(name).slice(1) + ':"', 'utf8'));
    if (needles.size < 1024) needles.set(name, p); // bounded: header names are a fixed vocabulary
  }
  return p;
}

/**
 * Keys FreeSWITCH adds after the channel's headers and variables (switch_core_session.c adds the
 * Application-* headers to CHANNEL_EXECUTE[_COMPLETE] last): searched from the end. Keys are
 * unique in a cJSON event object, so the last match is the only one.
 */
const TAIL_KEYS = new Set(['Application-UUID', 'Application', 'Application-Data', 'Application-Response']);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const COMMA = 0x2c;

/**
 * Value of top-level string key `name` in `buf` (exactly the event's JSON, so a missing key never
 * scans past it), `undefined` if absent, or `null` if present but not a plain string (the caller
 * then falls back to a full parse).
 */
export function jsonLookup(buf: Buffer, name: string): string | undefined | null {
  const pat = needle(name);
  const at = TAIL_KEYS.has(name) ? lastKey(buf, pat) : firstKey(buf, pat);
  if (at < 0) return undefined;
  const vs = at + pat.bytes.length;
  // The value ends at the first quote unless a backslash comes before it (escapes are rare).
  const q = buf.indexOf(QUOTE, vs);
  if (q < 0) return null;
  // One pass over the value: a backslash means escapes; any byte >= 0x80 means UTF-8.
  let high = 0;
  for (let i = vs; i < q; i++) {
    const b = buf[i]!;
    if (b === BACKSLASH) return escapedValue(buf, vs);
    high |= b;
  }
  return buf.toString(high < 0x80 ? 'latin1' : 'utf8', vs, q);
}

/** A match counts only right after `{"` or `,"`: inside a JSON string every quote is escaped. */
function isKey(buf: Buffer, at: number): boolean {
  return buf[at - 1] === QUOTE && (buf[at - 2] === OPEN || buf[at - 2] === COMMA);
}

function firstKey(buf: Buffer, pat: Needle): number {
  // FreeSWITCH writes Event-Name first: try the first key before searching.
  if (buf[0] === OPEN && buf[1] === QUOTE && pat.at(buf, 2)) return 2;
  let at = pat.indexIn(buf, 2);
  while (at >= 0 && !isKey(buf, at)) at = pat.indexIn(buf, at + 1);
  return at;
}

function lastKey(buf: Buffer, pat: Needle): number {
  let at = pat.lastIndexIn(buf);
  while (at >= 2 && !isKey(buf, at)) at = pat.lastIndexIn(buf, at - 1);
  return at >= 2 ? at : -1;
}

/** A value with escapes: find its closing quote (skipping escaped ones) and let JSON.parse unescape it. */
function escapedValue(buf: Buffer, vs: number): string | null {
  for (let i = vs; i < buf.length; i++) {
    const b = buf[i];
    if (b === BACKSLASH) i++;
    else if (b === QUOTE) {
      try {
        return JSON.parse(buf.toString('utf8', vs - 1, i + 1)) as string;
      } catch {
        return null;
      }
    }
  }
  return null;
}
