/**
 * A lazy view over a block of `Name: value\n` lines inside a Buffer. Looking up one header scans
 * lines and compares bytes; nothing is decoded until asked. The view stops at the first empty line.
 */

import { NameCache } from './name-cache.ts';
import { urlDecodeBytes } from './url-codec.ts';

const NL = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** ASCII lower-case of a byte. */
function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/** Pre-encoded header name for repeated lookups (lower-case ASCII bytes). */
export class HeaderName {
  readonly bytes: Uint8Array;
  constructor(readonly name: string) {
    this.bytes = Uint8Array.from(Buffer.from(name.toLowerCase(), 'latin1'));
  }
}

const headerNames = new NameCache((name) => new HeaderName(name));
/** Cached HeaderName for a name. */
export function headerName(name: string): HeaderName {
  return headerNames.get(name);
}

/** Byte range of one header value inside a block. */
export interface ValueRange {
  start: number;
  end: number;
}

/** Lazy header access over `buf[start, end)`. */
export class HeaderBlock {
  constructor(
    readonly buf: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  /** Byte range of the first value of `name` (case-insensitive), or undefined. */
  find(name: HeaderName | string, from = this.start): ValueRange | undefined {
    const key = typeof name === 'string' ? headerName(name).bytes : name.bytes;
    const buf = this.buf;
    const end = this.end;
    const klen = key.length;
    let pos = from;
    while (pos < end) {
      let eol = buf.indexOf(NL, pos);
      if (eol < 0 || eol > end) eol = end;
      let lineEnd = eol;
      if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
      if (lineEnd === pos) return undefined; // blank line ends the block
      if (lineEnd - pos > klen && buf[pos + klen] === COLON && lower(buf[pos]!) === key[0]) {
        let k = 1;
        while (k < klen && lower(buf[pos + k]!) === key[k]) k++;
        if (k === klen) {
          let vs = pos + klen + 1;
          if (vs < lineEnd && buf[vs] === SPACE) vs++;
          return { start: vs, end: lineEnd };
        }
      }
      pos = eol + 1;
    }
    return undefined;
  }

  /** Raw (not URL-decoded) value of the first `name` header, as UTF-8. */
  get(name: HeaderName | string): string | undefined {
    const r = this.find(name);
    return r ? this.buf.toString('utf8', r.start, r.end) : undefined;
  }

  /** URL-decoded value (plain events / connect reply). */
  getDecoded(name: HeaderName | string): string | undefined {
    const r = this.find(name);
    return r ? urlDecodeBytes(this.buf, r.start, r.end) : undefined;
  }

  /** Offset just past the blank line that ends this block, or `end` if there is none. */
  blockEnd(): number {
    const buf = this.buf;
    let pos = this.start;
    while (pos < this.end) {
      const eol = buf.indexOf(NL, pos);
      if (eol < 0 || eol >= this.end) return this.end;
      const lineEnd = eol > pos && buf[eol - 1] === CR ? eol - 1 : eol;
      if (lineEnd === pos) return eol + 1;
      pos = eol + 1;
    }
    return this.end;
  }

  /**
   * Visit every header line in order (duplicates included). `skipFirstLine` serves command frames,
   * whose first line is the command, not a header. Lines without a colon get an empty value.
   */
  forEach(visit: (name: string, valueStart: number, valueEnd: number) => void, skipFirstLine = false): void {
    const buf = this.buf;
    let pos = this.start;
    let first = true;
    while (pos < this.end) {
      let eol = buf.indexOf(NL, pos);
      if (eol < 0 || eol > this.end) eol = this.end;
      const lineEnd = eol > pos && buf[eol - 1] === CR ? eol - 1 : eol;
      if (lineEnd === pos) return;
      if (!(first && skipFirstLine)) {
        const colon = buf.indexOf(COLON, pos);
        if (colon < 0 || colon > lineEnd) visit(buf.toString('latin1', pos, lineEnd), lineEnd, lineEnd);
        else {
          let vs = colon + 1;
          if (vs < lineEnd && buf[vs] === SPACE) vs++;
          visit(buf.toString('latin1', pos, colon), vs, lineEnd);
        }
      }
      first = false;
      pos = eol + 1;
    }
  }

  /**
   * All headers as an object; the first occurrence of a duplicate wins (FS repeats identical
   * values). `decode` URL-decodes values (plain events); otherwise values are raw UTF-8.
   */
  toObject(decode: boolean, skipFirstLine = false): Record<string, string> {
    const out: Record<string, string> = {};
    this.forEach((name, s, e) => {
      if (Object.hasOwn(out, name) || name === '__proto__') return;
      out[name] = decode ? urlDecodeBytes(this.buf, s, e) : this.buf.toString('utf8', s, e);
    }, skipFirstLine);
    return out;
  }
}
