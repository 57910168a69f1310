/**
 * Lazy lookup of one top-level string field in a cJSON-serialised event without parsing the
 * object. A match of `"Name":"` counts only when its quote follows `{` or `,` — inside a JSON
 * string every quote is escaped, so that pattern cannot occur there.
 *
 * Two shapes FreeSWITCH always writes are read without a search: `Event-Name` is the first key,
 * and `Application-UUID` the last key of CHANNEL_EXECUTE[_COMPLETE]. Everything else, and any
 * event not shaped so, takes the general search.
 */

import { BytePattern } from '../codec/byte-pattern.ts';
import type { EslFrame } from '../codec/frame.ts';
import { NameCache } from '../codec/name-cache.ts';
import { Needle } from '../codec/needle.ts';
import { EVENT_NAMES } from './event-names.ts';

/**
 * Keys FreeSWITCH adds after the channel's headers and variables (switch_core_session.c adds the
 * Application-* headers to CHANNEL_EXECUTE[_COMPLETE] last): searched from the end. Keys are
 * unique in a cJSON event object, so the last match is the only one.
 */
const TAIL_KEYS = new Set(['Application-UUID', 'Application', 'Application-Data', 'Application-Response']);

/**
 * A key to look up: its needle `"Name":"` (a match counts when the byte before it is `{` or `,`)
 * and where FreeSWITCH puts it.
 */
export class JsonKey {
  readonly needle: Needle;
  /** Searched from the end (see TAIL_KEYS). */
  readonly tail: boolean;
  /** `Event-Name`: values handed out as shared strings. */
  readonly eventName: boolean;
  constructor(readonly name: string) {
    this.needle = new Needle(Buffer.from(JSON.stringify(name) + ':"', 'utf8'));
    this.tail = TAIL_KEYS.has(name);
    this.eventName = name === 'Event-Name';
  }
}

const keys = new NameCache((name) => new JsonKey(name));

/** The cached JsonKey of `name`. */
export function jsonKey(name: string): JsonKey {
  return keys.get(name);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const COMMA = 0x2c;

/** Known event names by length: `Event-Name` values are handed out as shared strings. */
const NAMES_BY_LENGTH = new Map<number, { bytes: BytePattern; name: string }[]>();
for (const name of EVENT_NAMES) {
  const list = NAMES_BY_LENGTH.get(name.length) ?? [];
  list.push({ bytes: new BytePattern(name), name });
  NAMES_BY_LENGTH.set(name.length, list);
}

/**
 * Value of top-level string key `key` in the JSON object that is `frame`'s body, `undefined` if
 * absent, or `null` if present but not a plain string (the caller then falls back to a full parse).
 */
export function jsonLookup(frame: EslFrame, key: JsonKey): string | undefined | null {
  const { buf, bodyStart: start, bodyEnd: end } = frame;
  const dv = frame.dv;
  const needle = key.needle;
  let at: number;
  if (buf[start] === OPEN && needle.at(dv, start + 1, end)) {
    // FreeSWITCH writes Event-Name first.
    at = start + 1;
  } else if (key.tail) {
    const v = lastKeyValue(buf, dv, start, end, needle);
    if (v !== undefined) return v;
    at = needle.lastIndexIn(buf, dv, start + 1, end);
    while (at >= 0 && !isKey(buf, at)) at = needle.lastIndexIn(buf, dv, start + 1, at + needle.length - 1);
  } else {
    at = needle.indexIn(buf, dv, start + 1, end);
    while (at >= 0 && !isKey(buf, at)) at = needle.indexIn(buf, dv, at + 1, end);
  }
  return at < 0 ? undefined : readString(buf, dv, at + needle.length, end, key.eventName);
}

/**
 * The object's last member when it is `"<key>":"<value>"}` — the shape of CHANNEL_EXECUTE[_COMPLETE]
 * with Application-UUID last; `undefined` when the object does not end so (search instead).
 */
function lastKeyValue(buf: Buffer, dv: DataView, start: number, end: number, key: Needle): string | null | undefined {
  if (end - start < key.length + 3 || buf[end - 1] !== CLOSE || buf[end - 2] !== QUOTE) return undefined;
  // The last quote before the closing one opens the value: a value holds no unescaped quote.
  const open = buf.lastIndexOf(QUOTE, end - 3);
  const keyAt = open + 1 - key.length;
  if (keyAt <= start || !key.at(dv, keyAt, end) || !isKey(buf, keyAt)) return undefined;
  return readString(buf, dv, open + 1, end, false);
}

/**
 * The JSON string whose opening quote is `buf[vs - 1]`, unescaped; null if it does not end before
 * `end`. Four bytes at a time: a word with no quote and no backslash (escapes are rare) is skipped,
 * and any byte >= 0x80 means UTF-8 (otherwise the cheaper latin1 decode gives the same string).
 * `names`: a known event name comes back as the shared string.
 */
function readString(buf: Buffer, dv: DataView, vs: number, end: number, names: boolean): string | null {
  let high = 0;
  let i = vs;
  for (; i + 4 <= end; i += 4) {
    const w = dv.getInt32(i, true);
    const q = w ^ 0x22222222; // a zero byte where w has a quote
    const b = w ^ 0x5c5c5c5c; // … a backslash
    if ((((q - 0x01010101) & ~q) | ((b - 0x01010101) & ~b)) & 0x80808080) break;
    high |= w;
  }
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === QUOTE) {
      return (names && knownEventName(dv, vs, i)) || buf.toString((high & 0x80808080) === 0 ? 'latin1' : 'utf8', vs, i);
    }
    if (c === BACKSLASH) return escapedValue(buf, vs, end);
    high |= c;
  }
  return null;
}

/** `Event-Name` values are few and known: match the bytes, hand out the shared string. */
function knownEventName(dv: DataView, vs: number, q: number): string | undefined {
  const list = NAMES_BY_LENGTH.get(q - vs);
  if (list) for (const n of list) if (n.bytes.at(dv, vs, q)) return n.name;
  return undefined;
}

/** `"Name":"` at `at` is a key only right after `{` or `,`: inside a JSON string every quote is escaped. */
function isKey(buf: Buffer, at: number): boolean {
  return buf[at - 1] === OPEN || buf[at - 1] === COMMA;
}

/** A value with escapes: find its closing quote (skipping escaped ones) before `end` and let JSON.parse unescape it. */
function escapedValue(buf: Buffer, vs: number, end: number): string | null {
  for (let i = vs; i < end; i++) {
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
