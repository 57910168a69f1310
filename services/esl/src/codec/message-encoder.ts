/**
 * FreeSWITCH → client message encoding, byte-compatible with mod_event_socket (header order as FS
 * writes it). Used by the simulator, tests and benches.
 */

import { urlEncode } from './url-codec.ts';

/** Ordered header pairs (duplicates allowed, as FS sometimes repeats a header). */
export type EventHeaders = ReadonlyArray<readonly [string, string]>;

/** Plain-event body: `Name: urlenc(value)\n`… (`_undef_` for empty), inner Content-Length + body if any. */
export function plainEventBody(headers: EventHeaders, body?: string): Buffer {
  let s = '';
  for (const [k, v] of headers) s += k + ': ' + (v === '' ? '_undef_' : urlEncode(v)) + '\n';
  if (body !== undefined && body.length > 0) {
    const b = Buffer.from(body, 'utf8');
    return Buffer.concat([Buffer.from(s + 'Content-Length: ' + b.length + '\n\n', 'utf8'), b]);
  }
  return Buffer.from(s + '\n', 'utf8');
}

/** JSON-event body as cJSON writes it: string values, body as `Content-Length` + `_body`. */
export function jsonEventBody(headers: EventHeaders, body?: string): Buffer {
  const parts: string[] = [];
  for (const [k, v] of headers) parts.push(JSON.stringify(k) + ':' + JSON.stringify(v));
  if (body !== undefined && body.length > 0) {
    parts.push('"Content-Length":' + JSON.stringify(String(Buffer.byteLength(body))));
    parts.push('"_body":' + JSON.stringify(body));
  }
  return Buffer.from('{' + parts.join(',') + '}', 'utf8');
}

/** A whole event frame: `Content-Length` first, then `Content-Type`, as FS sends events. */
export function encodeEvent(format: 'plain' | 'json', headers: EventHeaders, body?: string): Buffer {
  const inner = format === 'plain' ? plainEventBody(headers, body) : jsonEventBody(headers, body);
  const head = Buffer.from(`Content-Length: ${inner.length}\nContent-Type: text/event-${format}\n\n`, 'latin1');
  return Buffer.concat([head, inner]);
}

/** `command/reply` frame; extra headers (e.g. `Job-UUID`) follow `Reply-Text`. */
export function encodeCommandReply(replyText: string, extra: EventHeaders = []): Buffer {
  let s = 'Content-Type: command/reply\nReply-Text: ' + replyText + '\n';
  for (const [k, v] of extra) s += k + ': ' + v + '\n';
  return Buffer.from(s + '\n', 'utf8');
}

/** `api/response` frame (`-ERR no reply\n` when the output is empty, like FS). */
export function encodeApiResponse(output: string): Buffer {
  const b = Buffer.from(output === '' ? '-ERR no reply\n' : output, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${b.length}\n\n`, 'latin1'), b]);
}
