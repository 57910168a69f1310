/**
 * Fast path for the header block FreeSWITCH puts on every event, read in one pass:
 * `Content-Length: <n>\nContent-Type: text/event-json\n\n` (or `text/event-plain`). Anything
 * else — other frames, other header order or case, a block cut off by the end of the read — is
 * left to the general path, which reads every form.
 */

import { BytePattern } from './byte-pattern.ts';

const LENGTH = new BytePattern('Content-Length: ');
const TYPE = new BytePattern('\nContent-Type: text/event-');
const JSON_END = new BytePattern('json\n\n');
const PLAIN_END = new BytePattern('plain\n\n');

/** Out-parameters of `readEventHead` (one reused object: no allocation per frame). */
export interface EventHead {
  bodyLength: number;
  contentType: string;
}

/**
 * If `buf[start, end)` begins with a complete event header block, fill `out` and return the
 * index just past its blank line; else -1. `dv` views `buf` (see `viewOf`). Lengths over
 * `maxBody` return -1 too (the general path reports them).
 */
export function readEventHead(buf: Buffer, dv: DataView, start: number, end: number, maxBody: number, out: EventHead): number {
  if (!LENGTH.at(dv, start, end)) return -1;
  let i = start + LENGTH.length;
  let n = 0;
  const digitsFrom = i;
  while (i < end && i - digitsFrom < 10 && buf[i]! >= 0x30 && buf[i]! <= 0x39) n = n * 10 + buf[i++]! - 0x30;
  if (i === digitsFrom || n > maxBody || !TYPE.at(dv, i, end)) return -1;
  i += TYPE.length;
  if (JSON_END.at(dv, i, end)) {
    out.bodyLength = n;
    out.contentType = 'text/event-json';
    return i + JSON_END.length;
  }
  if (PLAIN_END.at(dv, i, end)) {
    out.bodyLength = n;
    out.contentType = 'text/event-plain';
    return i + PLAIN_END.length;
  }
  return -1;
}
