/**
 * Fast lookup of one header in a plain event's header block: a search for `Name: ` at a line
 * start instead of a per-line scan. Names match exactly as FreeSWITCH writes them.
 */

import type { EslFrame } from '../codec/frame.ts';
import { NameCache } from '../codec/name-cache.ts';
import { Needle } from '../codec/needle.ts';
import { urlDecodeBytes } from '../codec/url-codec.ts';

/** Per name, `Name: `; a match counts only at a line start. */
const needles = new NameCache((name) => new Needle(Buffer.from(name + ': ', 'latin1')));

const NL = 0x0a;
const INNER_LENGTH = new Needle(Buffer.from('\nContent-Length: ', 'latin1'));
const BLANK = Buffer.from('\n\n', 'latin1');

/**
 * Where the header lines of a plain event body end (just past the last header's `\n`). An inner
 * body is announced by a LAST header `Content-Length`, so one search (fast) finds where headers
 * end, rather than a slow two-byte scan for the blank line on every event.
 */
export function plainHeadersEnd(frame: EslFrame): number {
  const { buf, bodyStart: start, bodyEnd: end } = frame;
  const cl = INNER_LENGTH.indexIn(buf, frame.dv, start, end);
  const blank = buf.indexOf(BLANK, cl < 0 ? Math.max(start, end - 2) : cl);
  return blank < 0 || blank + 2 > end ? end : blank + 1;
}

/** URL-decoded value of `name` among the header lines `frame.buf[frame.bodyStart, headersEnd)`, or undefined. */
export function plainLookup(frame: EslFrame, headersEnd: number, name: string): string | undefined {
  const { buf, bodyStart: start } = frame;
  const dv = frame.dv;
  const pat = needles.get(name);
  let at = pat.indexIn(buf, dv, start, headersEnd);
  while (at > start && buf[at - 1] !== NL) at = pat.indexIn(buf, dv, at + 1, headersEnd);
  if (at < 0) return undefined;
  const vs = at + pat.length;
  let ve = buf.indexOf(NL, vs);
  if (ve < 0 || ve > headersEnd) ve = headersEnd;
  if (ve > vs && buf[ve - 1] === 0x0d) ve--;
  return urlDecodeBytes(buf, vs, ve);
}
