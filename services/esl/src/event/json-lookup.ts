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
  // FreeSWITCH writes Event-Name first: try the first key before searching.
  let at = buf[0] === OPEN && buf[1] === QUOTE && pat.at(buf, 2) ? 2 : pat.indexIn(buf, 2);
  while (at >= 0 && !(buf[at - 1] === QUOTE && (buf[at - 2] === OPEN || buf[at - 2] === COMMA))) {
    at = pat.indexIn(buf, at + 1);
  }
  if (at < 0) return undefined;
  const vs = at + pat.bytes.length;
  let escaped = false;
  let high = 0; // OR of the value's bytes: an ASCII value skips the UTF-8 decoder
  for (let i = vs; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === BACKSLASH) {
      escaped = true;
      i++;
      continue;
    }
    if (b === QUOTE) {
      if (!escaped) return buf.toString(high < 0x80 ? 'latin1' : 'utf8', vs, i);
      try {
        return JSON.parse(buf.toString('utf8', vs - 1, i + 1)) as string; // escapes are rare
      } catch {
        return null;
      }
    }
    high |= b;
  }
  return null;
}
