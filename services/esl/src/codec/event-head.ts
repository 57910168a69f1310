/**
 * Fast path for the header block FreeSWITCH puts on every event, read in one pass:
 * `Content-Length: <n>\nContent-Type: text/event-json\n\n` (or `text/event-plain`). Anything
 * else — other frames, other header order or case, a block cut off by the end of the read — is
 * left to the general path, which reads every form.
 */

import { bytesAt } from './bytes-at.ts';

const LENGTH = Buffer.from('Content-Length: ', 'latin1');
const TYPE = Buffer.from('\nContent-Type: ', 'latin1');
const EVENT_TYPES = ['text/event-json', 'text/event-plain'].map((t) => [t, Buffer.from(t + '\n\n', 'latin1')] as const);
const NL = 0x0a;

/** Out-parameters of `readEventHead` (one reused object: no allocation per frame). */
export interface EventHead {
  bodyLength: number;
  contentType: string;
}

/**
 * If `buf[start, end)` begins with a complete event header block, fill `out` and return the
 * index just past its blank line; else -1. Lengths over `maxBody` return -1 too (the general
 * path reports them).
 */
export function readEventHead(buf: Buffer, start: number, end: number, maxBody: number, out: EventHead): number {
  if (!bytesAt(buf, start, end, LENGTH)) return -1;
  let i = start + LENGTH.length;
  let n = 0;
  const digitsFrom = i;
  while (i < end && i - digitsFrom < 10 && buf[i]! >= 0x30 && buf[i]! <= 0x39) n = n * 10 + buf[i++]! - 0x30;
  if (i === digitsFrom || buf[i] !== NL || n > maxBody || !bytesAt(buf, i, end, TYPE)) return -1;
  i += TYPE.length;
  for (const [name, bytes] of EVENT_TYPES) {
    if (bytesAt(buf, i, end, bytes)) {
      out.bodyLength = n;
      out.contentType = name;
      return i + bytes.length;
    }
  }
  return -1;
}
