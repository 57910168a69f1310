/**
 * Fast lookup of one header in a plain event's header block: a single native search for
 * `Name: ` at a line start instead of a per-line scan. Names match exactly as FreeSWITCH writes them.
 */

import { Needle } from '../codec/needle.ts';
import { urlDecodeBytes } from '../codec/url-codec.ts';

const needles = new Map<string, Needle>();

/** `Name: ` — the line start is checked by hand: starting the search at `\n` is slow (needle.ts). */
function needle(name: string): Needle {
  let p = needles.get(name);
  if (!p) {
    p = new Needle(Buffer.from(name + ': ', 'latin1'));
    if (needles.size < 1024) needles.set(name, p); // bounded: header names are a fixed vocabulary
  }
  return p;
}

const NL = 0x0a;
const INNER_LENGTH = new Needle(Buffer.from('\nContent-Length: ', 'latin1'));
const BLANK = Buffer.from('\n\n', 'latin1');

/**
 * Header-block view of a plain event body (`Name: value\n` lines). An inner body is announced by
 * a LAST header `Content-Length`, so one long-needle search (fast) finds where headers end,
 * rather than a slow two-byte scan for the blank line on every event.
 */
export function plainHeaderView(buf: Buffer, start: number, end: number): Buffer {
  const body = buf.subarray(start, end);
  const cl = INNER_LENGTH.indexIn(body);
  const blank = body.indexOf(BLANK, cl < 0 ? Math.max(0, body.length - 2) : cl);
  return blank < 0 ? body : body.subarray(0, blank + 1);
}

/** URL-decoded value of `name` in a header view, or undefined. */
export function plainLookup(view: Buffer, name: string): string | undefined {
  const pat = needle(name);
  let at = pat.indexIn(view);
  while (at > 0 && view[at - 1] !== NL) at = pat.indexIn(view, at + 1);
  if (at < 0) return undefined;
  const vs = at + pat.bytes.length;
  let ve = view.indexOf(NL, vs);
  if (ve < 0) ve = view.length;
  if (ve > vs && view[ve - 1] === 0x0d) ve--;
  return urlDecodeBytes(view, vs, ve);
}
