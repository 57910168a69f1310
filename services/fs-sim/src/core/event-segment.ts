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
  let inner: string;
  if (format === 'plain') {
    inner = '';
    for (const s of segments) inner += s.plain;
    inner += body !== undefined && body.length > 0 ? `Content-Length: ${Buffer.byteLength(body)}\n\n${body}` : '\n';
  } else {
    let parts = '';
    for (const s of segments) {
      const j = s.json;
      if (j !== '') parts += parts === '' ? j : `,${j}`;
    }
    if (body !== undefined && body.length > 0) parts += `,"Content-Length":${JSON.stringify(String(Buffer.byteLength(body)))},"_body":${JSON.stringify(body)}`;
    inner = `{${parts}}`;
  }
  return `Content-Length: ${Buffer.byteLength(inner)}\nContent-Type: text/event-${format}\n\n${inner}`;
}
