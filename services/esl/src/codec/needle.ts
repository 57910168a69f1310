/**
 * Substring search that starts from the needle's rarest byte. Node's native search stops at
 * every occurrence of the needle's first byte, and header-lookup needles start with the most
 * frequent bytes of event text (`"` in json, `\n` in plain, `C` in both): `"Application-UUID":"`
 * scans a 3.8 KB event ~10x slower than `Application-UUID":"`. Searching for the suffix from the
 * rarest byte and checking the prefix by hand finds the same first match.
 */

import { bytesAt } from './bytes-at.ts';

/**
 * Bytes of FreeSWITCH event text, most frequent first (counted over the captures in
 * ../shared/freeswitch-captures). Bytes not listed are rarer than all of these.
 */
const BY_FREQUENCY = 'ealr-0int"_:C osc2\nb1dpvm%3u57.4h6Df,A89ITgNPSEUHwL/MRyOWFx@BqkG';
const RANK = new Uint8Array(256); // 0 = rarest
for (let i = 0; i < BY_FREQUENCY.length; i++) RANK[BY_FREQUENCY.charCodeAt(i)] = BY_FREQUENCY.length - i;
/** Bytes from 'A' on in BY_FREQUENCY (under ~1 % of event text) are rare enough to anchor at. */
const RARE = BY_FREQUENCY.length - BY_FREQUENCY.indexOf('A');
/** Shortest anchor: shorter native needles lose the skip-ahead search. */
const MIN_ANCHOR = 4;

/** A pre-encoded needle and its search anchor (a suffix starting at its rarest byte). */
export class Needle {
  /** The suffix handed to the native search. */
  private readonly anchor: Buffer;
  /** Where `anchor` starts inside the needle. */
  private readonly offset: number;
  /** The bytes before the anchor, checked by hand at each anchor hit. */
  private readonly prefix: Buffer;

  constructor(readonly bytes: Buffer) {
    // The first rare byte keeps the anchor long (fewer false hits to check by hand); failing
    // that, the rarest byte.
    let best = 0;
    for (let i = 0; i <= bytes.length - MIN_ANCHOR; i++) {
      if (RANK[bytes[i]!]! <= RARE) {
        best = i;
        break;
      }
      if (RANK[bytes[i]!]! < RANK[bytes[best]!]!) best = i;
    }
    this.offset = best;
    this.anchor = bytes.subarray(best);
    this.prefix = bytes.subarray(0, best);
  }

  /** Index of the first occurrence of the needle in `buf` at or after `from`, or -1. */
  indexIn(buf: Buffer, from = 0): number {
    const off = this.offset;
    let i = from + off;
    for (;;) {
      const at = buf.indexOf(this.anchor, i);
      if (at < 0) return -1;
      if (bytesAt(buf, at - off, at, this.prefix)) return at - off;
      i = at + 1;
    }
  }

  /**
   * Index of the last occurrence of the needle in `buf` starting at or before `before`, or -1.
   * For keys FreeSWITCH appends at the end of an event (Application-UUID): found in a few dozen
   * bytes instead of scanning the whole event.
   */
  lastIndexIn(buf: Buffer, before = buf.length): number {
    const off = this.offset;
    let i = before + off;
    while (i >= off) {
      const at = buf.lastIndexOf(this.anchor, i);
      if (at < off) return -1;
      if (bytesAt(buf, at - off, at, this.prefix)) return at - off;
      i = at - 1;
    }
    return -1;
  }

  /** True if the needle occurs in `buf` at `pos`. */
  at(buf: Buffer, pos: number): boolean {
    return bytesAt(buf, pos, buf.length, this.bytes);
  }
}
