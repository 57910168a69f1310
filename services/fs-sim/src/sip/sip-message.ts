/** A parsed SIP message (RFC 3261 text over UDP). */
export interface SipMessage {
  /** Request method, or undefined for a response. */
  method?: string;
  uri?: string;
  status?: number;
  reason?: string;
  /** Header name (lower-case, compact forms expanded) → values in order. */
  headers: Map<string, string[]>;
  body: string;
}

const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
};

/** Parse a datagram; undefined when it is not SIP. */
export function parseSip(buf: Buffer): SipMessage | undefined {
  const text = buf.toString('utf8');
  const sep = text.indexOf('\r\n\r\n');
  const head = sep < 0 ? text : text.slice(0, sep);
  const body = sep < 0 ? '' : text.slice(sep + 4);
  const lines = head.split(/\r?\n/);
  const first = lines.shift() ?? '';
  const msg: SipMessage = { headers: new Map(), body };
  const resp = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(first);
  if (resp) {
    msg.status = Number(resp[1]);
    msg.reason = resp[2];
  } else {
    const req = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first);
    if (!req) return undefined;
    msg.method = req[1];
    msg.uri = req[2];
  }
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      const vals = msg.headers.get(last) as string[];
      vals[vals.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    let name = line.slice(0, colon).trim().toLowerCase();
    name = COMPACT[name] ?? name;
    const value = line.slice(colon + 1).trim();
    const list = msg.headers.get(name) ?? [];
    // Via and friends may carry several comma-separated values on one line
    if (name === 'via') list.push(...value.split(/,(?=\s*SIP\/)/).map((v) => v.trim()));
    else list.push(value);
    msg.headers.set(name, list);
    last = name;
  }
  return msg;
}

/** First value of a header. */
export function hdr(msg: SipMessage, name: string): string | undefined {
  return msg.headers.get(name)?.[0];
}

/** `tag=` parameter of a From/To value. */
export function tagOf(v: string | undefined): string | undefined {
  return v ? /;\s*tag=([^;>\s]+)/i.exec(v)?.[1] : undefined;
}

/** user part of the first sip: URI in a header value. */
export function userOf(v: string | undefined): string {
  const m = v ? /sips?:([^@;>]+)@/i.exec(v) : null;
  return m?.[1] ?? '';
}

/** host:port of the first sip: URI in a header value. */
export function hostPortOf(v: string | undefined): { host: string; port: number } {
  const m = v ? /sips?:(?:[^@;>]+@)?([^;>:\s]+)(?::(\d+))?/i.exec(v) : null;
  return { host: m?.[1] ?? '127.0.0.1', port: Number(m?.[2] ?? 5060) };
}

/** Display name of a From header (quoted or bare). */
export function displayOf(v: string | undefined): string {
  if (!v) return '';
  const q = /^\s*"([^"]*)"/.exec(v);
  if (q) return q[1] ?? '';
  const b = /^\s*([^<"]+?)\s*</.exec(v);
  return b?.[1] ?? '';
}

/** Serialise a SIP message with Content-Length. */
export function buildSip(firstLine: string, headers: Array<[string, string]>, body = ''): Buffer {
  let s = `${firstLine}\r\n`;
  for (const [k, v] of headers) s += `${k}: ${v}\r\n`;
  s += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return Buffer.from(s, 'utf8');
}

/** Reason phrases for the responses the simulator sends. */
export const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  603: 'Decline',
};

/** SIP status for a hangup cause when refusing an INVITE (mod_sofia hangup_cause_to_sip). */
export function causeToSip(cause: string): number {
  const map: Record<string, number> = {
    USER_BUSY: 486,
    CALL_REJECTED: 603,
    UNALLOCATED_NUMBER: 404,
    NO_ROUTE_DESTINATION: 404,
    NO_USER_RESPONSE: 480,
    NO_ANSWER: 480,
    NORMAL_TEMPORARY_FAILURE: 503,
    SWITCH_CONGESTION: 503,
    DESTINATION_OUT_OF_ORDER: 502,
    ORIGINATOR_CANCEL: 487,
    INCOMPATIBLE_DESTINATION: 488,
  };
  return map[cause] ?? 480;
}

/** Hangup cause for a final SIP error (mod_sofia sip_cause_to_freeswitch). */
export function sipToCause(status: number): string {
  const map: Record<number, string> = {
    404: 'UNALLOCATED_NUMBER',
    480: 'NO_USER_RESPONSE',
    486: 'USER_BUSY',
    600: 'USER_BUSY',
    603: 'CALL_REJECTED',
    487: 'ORIGINATOR_CANCEL',
    488: 'INCOMPATIBLE_DESTINATION',
    408: 'RECOVERY_ON_TIMER_EXPIRE',
    503: 'NORMAL_TEMPORARY_FAILURE',
    500: 'NORMAL_TEMPORARY_FAILURE',
    403: 'CALL_REJECTED',
    410: 'NUMBER_CHANGED',
  };
  return map[status] ?? 'NORMAL_UNSPECIFIED';
}
