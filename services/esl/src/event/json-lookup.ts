/**
 * Lazy lookup of one top-level string field in a cJSON-serialised event without parsing the
 * object. A match of `"Name":"` counts only when its quote follows `{` or `,` — inside a JSON
 * string every quote is escaped, so that pattern cannot occur there.
 */

const patterns = new Map<string, Buffer>();

function pattern(name: string): Buffer {
  let p = patterns.get(name);
  if (!p) {
    p = Buffer.from(JSON.stringify(name) + ':"', 'utf8');
    if (patterns.size < 1024) patterns.set(name, p); // bounded: header names are a fixed vocabulary
  }
  return p;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Value of top-level string key `name` in `buf` (exactly the event's JSON, so a missing key never
 * scans past it), `undefined` if absent, or `null` if present but not a plain string (the caller
 * then falls back to a full parse).
 */
export function jsonLookup(buf: Buffer, name: string): string | undefined | null {
  const pat = pattern(name);
  const start = 0;
  const end = buf.length;
  let from = start;
  for (;;) {
    const at = buf.indexOf(pat, from);
    if (at < 0) return undefined;
    const prev = at > start ? buf[at - 1] : undefined;
    if (prev === 0x7b || prev === 0x2c) {
      const vs = at + pat.length;
      let escaped = false;
      for (let i = vs; i < end; i++) {
        const b = buf[i];
        if (b === BACKSLASH) {
          escaped = true;
          i++;
          continue;
        }
        if (b === QUOTE) {
          if (!escaped) return buf.toString('utf8', vs, i);
          try {
            return JSON.parse(buf.toString('utf8', vs - 1, i + 1)) as string;
          } catch {
            return null;
          }
        }
      }
      return null;
    }
    from = at + 1;
  }
}
