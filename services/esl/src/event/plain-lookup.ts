/**
 * Fast lookup of one header in a plain event's header block: a single native search for
 * `\nName: ` instead of a per-line scan. Names match exactly as FreeSWITCH writes them.
 */

import { urlDecodeBytes } from '../codec/url-codec.ts';

const patterns = new Map<string, Buffer>();

function pattern(name: string): Buffer {
  let p = patterns.get(name);
  if (!p) {
    p = Buffer.from('\n' + name + ': ', 'latin1');
    if (patterns.size < 1024) patterns.set(name, p); // bounded: header names are a fixed vocabulary
  }
  return p;
}

const INNER_LENGTH = Buffer.from('\nContent-Length: ', 'latin1');
const BLANK = Buffer.from('\n\n', 'latin1');

/**
 * Header-block view of a plain event body (`Name: value\n` lines). An inner body is announced by
 * a LAST header `Content-Length`, so one long-needle search (fast) finds where headers end,
 * rather than a slow two-byte scan for the blank line on every event.
 */
export function plainHeaderView(buf: Buffer, start: number, end: number): Buffer {
  const body = buf.subarray(start, end);
  const cl = body.indexOf(INNER_LENGTH);
  const blank = body.indexOf(BLANK, cl < 0 ? Math.max(0, body.length - 2) : cl);
  return blank < 0 ? body : body.subarray(0, blank + 1);
}

/** URL-decoded value of `name` in a header view, or undefined. */
export function plainLookup(view: Buffer, name: string): string | undefined {
  const pat = pattern(name);
  let vs: number;
  // The first line has no leading newline.
  if (view.length >= pat.length - 1 && view.compare(pat, 1, pat.length, 0, pat.length - 1) === 0) vs = pat.length - 1;
  else {
    const at = view.indexOf(pat);
    if (at < 0) return undefined;
    vs = at + pat.length;
  }
  let ve = view.indexOf(0x0a, vs);
  if (ve < 0) ve = view.length;
  if (ve > vs && view[ve - 1] === 0x0d) ve--;
  return urlDecodeBytes(view, vs, ve);
}
