/**
 * An ESL event (text/event-plain or text/event-json) with lazy header access: reading
 * `name`, `uniqueId`, `applicationUuid` or `jobUuid` scans only as far as that header.
 */

import type { EslFrame } from '../codec/frame.ts';
import { H } from '../codec/frame.ts';
import { HeaderBlock, type HeaderName, headerName } from '../codec/header-block.ts';
import { type JsonKey, jsonKey, jsonLookup } from './json-lookup.ts';
import { plainHeadersEnd, plainLookup } from './plain-lookup.ts';

/** Wire format of an event. */
export type EslEventFormat = 'plain' | 'json';

const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * One event. Values are decoded (URL-decoded for plain, JSON strings for json); `_undef_` → ''.
 * The event is a view over the socket's read buffer: keep the strings you need (or `headers()`),
 * not the event itself, or it pins that buffer.
 *
 * @example
 * client.on('event', (e) => { if (e.name === 'CHANNEL_ANSWER') answered(e.uniqueId!); });
 */
export class EslEvent {
  private block: HeaderBlock | undefined; // plain
  private headersEnd = -1; // plain: where the header lines end, found on first lookup
  private parsed: Record<string, unknown> | undefined; // json, parsed on demand
  // The three every consumer reads (the connection's execute tracker, then the app): looked up once.
  private nameValue: string | null = null; // null = not looked up yet
  private uniqueIdValue: string | undefined | null = null;
  private applicationUuidValue: string | undefined | null = null;

  constructor(
    /** The frame the event arrived in (its body holds the event). */
    readonly frame: EslFrame,
    readonly format: EslEventFormat,
  ) {
    if (format === 'plain') this.block = new HeaderBlock(frame.buf, frame.bodyStart, frame.bodyEnd);
  }

  /** Build an event from a frame whose Content-Type is text/event-plain or text/event-json, else undefined. */
  static fromFrame(frame: EslFrame, contentType = frame.contentType): EslEvent | undefined {
    if (contentType === 'text/event-plain') return new EslEvent(frame, 'plain');
    if (contentType === 'text/event-json') return new EslEvent(frame, 'json');
    return undefined;
  }

  /** Decoded value of the first header `name`, matched exactly as FreeSWITCH writes it ('Unique-ID'). */
  get(name: string | HeaderName): string | undefined {
    const key = typeof name === 'string' ? name : name.name;
    return this.lookup(key);
  }

  /** `json`: the key's JsonKey when the caller has it ready (the hot getters); json events only. */
  private lookup(key: string, json?: JsonKey): string | undefined {
    if (this.block) {
      if (this.headersEnd < 0) this.headersEnd = plainHeadersEnd(this.frame);
      return plainLookup(this.frame, this.headersEnd, key);
    }
    if (!this.parsed) {
      const v = jsonLookup(this.frame, json ?? jsonKey(key));
      if (v !== null) return v === '_undef_' ? '' : v;
    }
    const p = this.all()[key];
    return typeof p === 'string' ? p : undefined;
  }

  /** `Event-Name` ('' if missing). */
  get name(): string {
    this.nameValue ??= this.lookup('Event-Name', EVENT_NAME) ?? '';
    return this.nameValue;
  }
  /** `Event-Subclass` for CUSTOM events. */
  get subclass(): string | undefined {
    return this.get(SUBCLASS);
  }
  /** Channel `Unique-ID`. */
  get uniqueId(): string | undefined {
    if (this.uniqueIdValue === null) this.uniqueIdValue = this.lookup('Unique-ID', UNIQUE_ID);
    return this.uniqueIdValue;
  }
  /** `Application-UUID` (CHANNEL_EXECUTE[_COMPLETE]; = the sendmsg Event-UUID). */
  get applicationUuid(): string | undefined {
    if (this.applicationUuidValue === null) this.applicationUuidValue = this.lookup('Application-UUID', APPLICATION_UUID);
    return this.applicationUuidValue;
  }
  /** `Job-UUID` (BACKGROUND_JOB). */
  get jobUuid(): string | undefined {
    return this.get(H.jobUuid);
  }

  /** Event body: plain inner body after the header block, or json `_body`; '' if none. */
  get body(): string {
    if (this.block) {
      const at = this.block.blockEnd();
      return this.frame.buf.toString('utf8', at, this.frame.bodyEnd);
    }
    const b = this.all()['_body'];
    return typeof b === 'string' ? b : '';
  }

  /**
   * All headers, decoded (first duplicate wins for plain; for json multi-value headers are
   * joined with ','). Excludes the body. Invalid JSON gives {} rather than throwing.
   */
  headers(): Record<string, string> {
    if (this.block) return this.block.toObject(true);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.all())) {
      if (k === '_body') continue;
      out[k] = Array.isArray(v) ? v.join(',') : typeof v === 'string' ? (v === '_undef_' ? '' : v) : String(v);
    }
    return out;
  }

  private all(): Record<string, unknown> {
    if (!this.parsed) {
      try {
        const v: unknown = JSON.parse(this.frame.buf.toString('utf8', this.frame.bodyStart, this.frame.bodyEnd));
        this.parsed = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : EMPTY;
      } catch {
        this.parsed = EMPTY;
      }
    }
    return this.parsed;
  }
}

const SUBCLASS = headerName('Event-Subclass');
const EVENT_NAME = jsonKey('Event-Name');
const UNIQUE_ID = jsonKey('Unique-ID');
const APPLICATION_UUID = jsonKey('Application-UUID');
