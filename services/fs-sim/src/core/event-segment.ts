import { urlEncode } from '@switchyard/esl';
import type { Header } from './event.ts';

/**
 * A run of headers with its plain and JSON encodings computed once. Channel events reuse the
 * caller-profile and variable segments until the channel changes, so a 130-header event costs
 * a few string concatenations instead of 130 URL encodings.
 */
export class Segment {
  private plainText: string | undefined;
  private jsonText: string | undefined;
  private list: readonly Header[] | undefined;

  /**
   * `plain`/`json` may be supplied pre-encoded (from cached pieces); otherwise computed lazily.
   * `headers` may be a thunk so hot paths that only serialise never build the tuples.
   */
  constructor(headers: readonly Header[] | (() => readonly Header[]), plain?: string, json?: string) {
    if (typeof headers === 'function') this.make = headers;
    else this.list = headers;
    this.plainText = plain;
    this.jsonText = json;
  }

  private make: (() => readonly Header[]) | undefined;

  get headers(): readonly Header[] {
    if (!this.list) this.list = (this.make as () => readonly Header[])();
    return this.list;
  }

  private plainLen = -1;
  private jsonLen = -1;

  /** UTF-8 byte length of `plain` (cached: segments are shared by many events). */
  get plainBytes(): number {
    if (this.plainLen < 0) this.plainLen = Buffer.byteLength(this.plain);
    return this.plainLen;
  }

  /** UTF-8 byte length of `json`. */
  get jsonBytes(): number {
    if (this.jsonLen < 0) this.jsonLen = Buffer.byteLength(this.json);
    return this.jsonLen;
  }

  /** `Name: urlenc(value)\n` per header (`_undef_` for empty values, as FreeSWITCH). */
  get plain(): string {
    if (this.plainText === undefined) {
      let s = '';
      for (const [k, v] of this.headers) s += `${k}: ${v === '' ? '_undef_' : urlEncode(v)}\n`;
      this.plainText = s;
    }
    return this.plainText;
  }

  /** `"Name":"value"` pairs joined by commas (cJSON layout, no leading comma). */
  get json(): string {
    if (this.jsonText === undefined) {
      let s = '';
      for (const [k, v] of this.headers) s += `${s === '' ? '' : ','}${JSON.stringify(k)}:${JSON.stringify(v)}`;
      this.jsonText = s;
    }
    return this.jsonText;
  }
}

/**
 * Encode a whole event frame from segments, as a string (same bytes as @switchyard/esl's
 * encodeEvent once UTF-8 encoded). Sockets take the string directly: no Buffer per event,
 * which would otherwise dominate GC at tens of thousands of events per second.
 */
export function encodeSegments(format: 'plain' | 'json', segments: readonly Segment[], body?: string): string {
  // lengths come from the segments' cached byte counts, so the frame is never flattened here
  let inner = '';
  let len = 0;
  const hasBody = body !== undefined && body.length > 0;
  const bodyLen = hasBody ? Buffer.byteLength(body) : 0;
  if (format === 'plain') {
    for (const s of segments) {
      inner += s.plain;
      len += s.plainBytes;
    }
    const tail = hasBody ? `Content-Length: ${bodyLen}\n\n` : '\n';
    inner += tail;
    len += tail.length;
    if (hasBody) {
      inner += body;
      len += bodyLen;
    }
  } else {
    inner = '{';
    len = 1;
    let first = true;
    for (const s of segments) {
      if (s.json === '') continue;
      if (!first) {
        inner += ',';
        len++;
      }
      inner += s.json;
      len += s.jsonBytes;
      first = false;
    }
    if (hasBody) {
      const b = JSON.stringify(body);
      const t = `,"Content-Length":${JSON.stringify(String(bodyLen))},"_body":${b}`;
      inner += t;
      len += Buffer.byteLength(t);
    }
    inner += '}';
    len++;
  }
  return `Content-Length: ${len}\nContent-Type: text/event-${format}\n\n${inner}`;
}
