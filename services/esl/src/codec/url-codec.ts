/**
 * FreeSWITCH URL-encoding (`switch_url_encode_opt`, double_encode=false) and a tolerant decoder.
 * Plain events and the outbound `connect` reply carry values encoded this way.
 */

const HEX = '0123456789ABCDEF';

/** 1 for bytes FreeSWITCH escapes: control, non-ASCII and `\r\n #%&+:;<=>?@[\]^\`{|}"`. */
const ESCAPE = new Uint8Array(256);
for (let b = 0; b < 256; b++) ESCAPE[b] = b < 0x20 || b > 0x7e ? 1 : 0;
for (const ch of ' #%&+:;<=>?@[\\]^`{|}"') ESCAPE[ch.charCodeAt(0)] = 1;

/** Hex digit value of a byte, or -1. `upperOnly` rejects a-f (FS passes through only upper-case `%XX`). */
function hexVal(b: number, upperOnly = false): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (!upperOnly && b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/**
 * Encode raw bytes exactly like FreeSWITCH: an existing `%XX` (upper-case hex) passes through.
 *
 * @example
 * urlEncodeBytes(Buffer.from([0x4a, 0xe9])); // 'J%E9'
 */
export function urlEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (ESCAPE[b] === 0) continue;
    if (b === 0x25 && i + 2 < bytes.length && hexVal(bytes[i + 1]!, true) >= 0 && hexVal(bytes[i + 2]!, true) >= 0) {
      continue; // already escaped: FS does not double-encode
    }
    if (i > runStart) out += latin1(bytes, runStart, i);
    out += '%' + HEX[b >> 4] + HEX[b & 15];
    runStart = i + 1;
  }
  if (runStart < bytes.length) out += latin1(bytes, runStart, bytes.length);
  return out;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/**
 * Encode a string (as UTF-8) the way FreeSWITCH encodes a plain-event value. Empty → `_undef_`
 * is the serialiser's concern, not this function's.
 *
 * @example
 * urlEncode('2026-11-24 22:01:16'); // '2026-11-24%2022%3A01%3A16'
 */
export function urlEncode(value: string): string {
  // Fast path: pure safe ASCII needs no work (most header values).
  let safe = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7e || ESCAPE[c] === 1) {
      safe = false;
      break;
    }
  }
  return safe ? value : urlEncodeBytes(Buffer.from(value, 'utf8'));
}

/**
 * Decode bytes as UTF-8, but map every byte that is not part of a valid UTF-8 sequence to its
 * Latin-1 character (SIP display names often carry raw Latin-1). Never throws.
 */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    // fall through to the byte-by-byte repair below
  }
  let out = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= n;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok && len === 3) {
      const b1 = bytes[i + 1]!;
      ok = !(b === 0xe0 && b1 < 0xa0) && !(b === 0xed && b1 >= 0xa0); // overlong / surrogates
    } else if (ok && len === 4) {
      const b1 = bytes[i + 1]!;
      ok = !(b === 0xf0 && b1 < 0x90) && !(b === 0xf4 && b1 >= 0x90);
    }
    if (!ok) {
      out += String.fromCharCode(b); // Latin-1 fallback
      i++;
      continue;
    }
    out += Buffer.from(bytes.buffer, bytes.byteOffset + i, len).toString('utf8');
    i += len;
  }
  return out;
}

const UNDEF = '_undef_';
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Tolerant FreeSWITCH URL-decode of `bytes[start, end)`: `%XX` → byte, malformed `%` kept
 * literally, invalid UTF-8 bytes → Latin-1, `_undef_` → ''. Never throws.
 */
export function urlDecodeBytes(buf: Uint8Array, start = 0, end = buf.length): string {
  let pct = -1;
  let ascii = true;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b === 0x25) {
      pct = i;
      break;
    }
    if (b > 0x7f) ascii = false;
  }
  if (pct < 0) {
    // No escapes: the common case.
    if (end - start === 7 && buf[start] === 0x5f && latin1(buf, start, end) === UNDEF) return '';
    return ascii ? latin1(buf, start, end) : decodeUtf8Lenient(buf.subarray(start, end));
  }
  const out = Buffer.allocUnsafe(end - start);
  let o = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b === 0x25 && i + 2 < end) {
      const h = hexVal(buf[i + 1]!);
      const l = hexVal(buf[i + 2]!);
      if (h >= 0 && l >= 0) {
        out[o++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[o++] = b;
  }
  return decodeUtf8Lenient(out.subarray(0, o));
}

/**
 * Tolerant FreeSWITCH URL-decode of a string (`%E9` → 'é' via Latin-1; `_undef_` → ''). Never throws.
 *
 * @example
 * urlDecode('Jos%E9'); // 'José'
 */
export function urlDecode(value: string): string {
  if (value === UNDEF) return '';
  if (value.indexOf('%') < 0) return value;
  return urlDecodeBytes(Buffer.from(value, 'utf8'));
}
