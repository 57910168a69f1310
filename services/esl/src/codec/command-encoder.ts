/**
 * Client → FreeSWITCH command encoding. Each command becomes ONE Buffer (one socket write, so
 * Nagle never splits it); long or multi-line arguments travel as a Content-Length body.
 */

/** Header list: pairs keep order and allow duplicates; a record is fine for simple cases. */
export type HeaderList = ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | number | boolean>>;

/** Thrown for a command that would corrupt the framing (a newline in the command line or a header). */
export class EslEncodeError extends Error {
  override readonly name = 'EslEncodeError';
}

function pairs(headers: HeaderList | undefined): ReadonlyArray<readonly [string, string]> {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers as ReadonlyArray<readonly [string, string]>;
  return Object.entries(headers).map(([k, v]) => [k, String(v)] as const);
}

function assertLine(what: string, s: string): void {
  if (s.includes('\n') || s.includes('\r')) throw new EslEncodeError(`ESL ${what} must not contain a newline: ${JSON.stringify(s.slice(0, 80))}`);
}

/**
 * Encode one command frame: `line\nName: value\n...[Content-Length: n\n]\n[body]`.
 *
 * @example
 * encodeCommand('api status');                              // 'api status\n\n'
 * encodeCommand('bgapi originate ...', { 'Job-UUID': id });
 */
export function encodeCommand(line: string, headers?: HeaderList, body?: string | Buffer): Buffer {
  assertLine('command', line);
  let head = line + '\n';
  for (const [k, v] of pairs(headers)) {
    assertLine('header name', k);
    assertLine(`header ${k}`, v);
    if (k.includes(':')) throw new EslEncodeError(`ESL header name must not contain ':': ${k}`);
    head += k + ': ' + v + '\n';
  }
  if (body === undefined || body.length === 0) return Buffer.from(head + '\n', 'utf8');
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  head += 'Content-Length: ' + b.length + '\n\n';
  const h = Buffer.from(head, 'utf8');
  return Buffer.concat([h, b], h.length + b.length);
}

/** Options of a `sendmsg … call-command: execute`. */
export interface ExecuteOptions {
  /** Channel uuid (inbound); omit on an outbound socket. */
  uuid?: string;
  app: string;
  arg?: string;
  /** Our id; FreeSWITCH echoes it as `Application-UUID` on CHANNEL_EXECUTE(_COMPLETE). */
  eventUuid?: string;
  /** Run queued apps one after another instead of nested (default true). */
  eventLock?: boolean;
  /** Repeat count, -1 = forever. */
  loops?: number;
  /** Outbound sync sockets: queue instead of running inline. */
  async?: boolean;
}

/** Arguments longer than this (or multi-line) go in a text/plain body. */
const MAX_INLINE_ARG = 512;

/**
 * Encode `sendmsg [uuid]` with `call-command: execute`.
 *
 * @example
 * encodeExecute({ uuid, app: 'playback', arg: 'tone_stream://%(500,0,440)', eventUuid: id });
 */
export function encodeExecute(o: ExecuteOptions): Buffer {
  // The engine sends one per prompt: built as one string, not through a header list (the same
  // bytes as encodeCommand would give, with the same checks).
  const arg = o.arg ?? '';
  const useBody = arg.length > MAX_INLINE_ARG || arg.includes('\n') || arg.includes('\r');
  let head = 'sendmsg';
  if (o.uuid) {
    assertLine('command', o.uuid);
    head += ' ' + o.uuid;
  }
  assertLine('header execute-app-name', o.app);
  head += '\ncall-command: execute\nexecute-app-name: ' + o.app + '\n';
  if (arg && !useBody) head += 'execute-app-arg: ' + arg + '\n';
  if (o.eventUuid) {
    assertLine('header Event-UUID', o.eventUuid);
    head += 'Event-UUID: ' + o.eventUuid + '\n';
  }
  if (o.eventLock ?? true) head += 'event-lock: true\n';
  if (o.loops !== undefined) head += 'loops: ' + String(o.loops) + '\n';
  if (o.async) head += 'async: true\n';
  if (!useBody) return Buffer.from(head + '\n', 'utf8');
  const b = Buffer.from(arg, 'utf8');
  const h = Buffer.from(head + 'content-type: text/plain\nContent-Length: ' + b.length + '\n\n', 'utf8');
  return Buffer.concat([h, b], h.length + b.length);
}

/** Encode `sendmsg [uuid]` with `call-command: hangup`. */
export function encodeHangup(uuid: string | undefined, cause = 'NORMAL_CLEARING'): Buffer {
  return encodeCommand(uuid ? `sendmsg ${uuid}` : 'sendmsg', [
    ['call-command', 'hangup'],
    ['hangup-cause', cause],
  ]);
}
