/**
 * One ESL frame: a header block plus an optional Content-Length body, as byte ranges of a Buffer
 * that the parser never writes to again. Header access is lazy (see HeaderBlock).
 */

import { BytePattern, viewOf } from './byte-pattern.ts';
import { HeaderBlock, headerName } from './header-block.ts';

/** Well-known header names, pre-encoded once. */
export const H = {
  contentType: headerName('Content-Type'),
  contentLength: headerName('Content-Length'),
  replyText: headerName('Reply-Text'),
  jobUuid: headerName('Job-UUID'),
  contentDisposition: headerName('Content-Disposition'),
} as const;

/** The Content-Types FreeSWITCH sends, as bytes: a frame's type is matched, not decoded, per frame. */
const CONTENT_TYPES = ['text/event-json', 'text/event-plain', 'command/reply', 'api/response', 'auth/request', 'text/disconnect-notice', 'text/rude-rejection', 'log/data'].map(
  (t) => [t, new BytePattern(t)] as const,
);

function knownContentType(dv: DataView, start: number, end: number): string | undefined {
  for (const [name, bytes] of CONTENT_TYPES) {
    if (bytes.length === end - start && bytes.at(dv, start, end)) return name;
  }
  return undefined;
}

/**
 * A complete frame. `headers` is a lazy view; `body` is a zero-copy slice.
 *
 * @example
 * frame.contentType; // 'api/response'
 * frame.bodyText();  // 'UP 0 years, ...'
 */
export class EslFrame {
  private view: HeaderBlock | undefined;
  constructor(
    readonly buf: Buffer,
    readonly headStart: number,
    readonly headEnd: number,
    readonly bodyStart: number,
    readonly bodyEnd: number,
    /** Content-Type when the parser already read it (FreeSWITCH's event header block). */
    private readonly knownType?: string,
    /** A DataView over `buf` when the parser has one (shared by the frames of one read). */
    private dataView?: DataView,
  ) {}

  /** DataView over `buf` (index i = buf[i]), for word-at-a-time reads. */
  get dv(): DataView {
    this.dataView ??= viewOf(this.buf);
    return this.dataView;
  }

  /** Lazy view over the header block (for command frames the first line is the command). */
  get headers(): HeaderBlock {
    this.view ??= new HeaderBlock(this.buf, this.headStart, this.headEnd);
    return this.view;
  }

  /** Raw value of the first header `name` (case-insensitive), not URL-decoded. */
  header(name: string): string | undefined {
    return this.headers.get(name);
  }

  /** `Content-Type`, or undefined (the outbound `connect` reply has it near the end). */
  get contentType(): string | undefined {
    if (this.knownType !== undefined) return this.knownType;
    const r = this.headers.find(H.contentType);
    return r ? knownContentType(this.dv, r.start, r.end) ?? this.buf.toString('utf8', r.start, r.end) : undefined;
  }

  /** `Reply-Text` of a command/reply, raw (only the outbound `connect` reply URL-encodes it: use `headers.getDecoded`). */
  get replyText(): string | undefined {
    return this.headers.get(H.replyText);
  }

  /** Body bytes (empty when there is no Content-Length). Zero-copy. */
  get body(): Buffer {
    return this.buf.subarray(this.bodyStart, this.bodyEnd);
  }

  /** Body as UTF-8 text. */
  bodyText(): string {
    return this.buf.toString('utf8', this.bodyStart, this.bodyEnd);
  }

  /** Command frames (server side): the first line, e.g. `api status`. */
  commandLine(): string {
    let eol = this.buf.indexOf(0x0a, this.headStart);
    if (eol < 0 || eol > this.headEnd) eol = this.headEnd;
    if (eol > this.headStart && this.buf[eol - 1] === 0x0d) eol--;
    return this.buf.toString('utf8', this.headStart, eol);
  }

  /** All headers decoded: URL-decoded when `urlDecoded`, raw UTF-8 otherwise. First duplicate wins. */
  allHeaders(urlDecoded = false): Record<string, string> {
    return this.headers.toObject(urlDecoded);
  }

  /** Command frames (server side): headers after the command line, raw values. */
  commandHeaders(): Record<string, string> {
    return this.headers.toObject(false, true);
  }

  /** Total encoded size in bytes (header block through body). */
  get size(): number {
    return this.bodyEnd - this.headStart;
  }

  /** The frame's exact wire bytes (zero-copy). */
  wireBytes(): Buffer {
    return this.buf.subarray(this.headStart, this.bodyEnd);
  }
}
