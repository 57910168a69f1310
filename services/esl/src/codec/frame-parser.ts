/**
 * Byte-level ESL frame parser (pg-protocol style): `push(chunk, onFrame)` emits every complete
 * frame and keeps leftover bytes with cursors. Works for both directions (FS → client frames and
 * client → FS command frames): CR before LF is tolerated, leading blank lines are skipped.
 *
 * Frames are slices of Buffers the parser never writes to again: bytes handed out always lie
 * before `start`, and appends only ever write at or after `end` — so no copy per frame.
 */

import { viewOf } from './byte-pattern.ts';
import { type EventHead, readEventHead } from './event-head.ts';
import { EslFrame, H } from './frame.ts';
import { HeaderBlock } from './header-block.ts';

const NL = 0x0a;
const CR = 0x0d;
const BLANK_LINE = Buffer.from('\n\n', 'latin1');
const EMPTY = Buffer.alloc(0);
const EMPTY_VIEW = viewOf(EMPTY);
/**
 * Unfinished frames are stitched into slices of one slab: a fresh ArrayBuffer per stitch (one
 * per socket read in a busy stream; Node's 8 KB pool runs out every other 3.8 KB event) costs
 * ~1 µs. Each slice belongs to one frame and is never written past it.
 */
const SLAB_BYTES = 64 * 1024;

/** Thrown by `push` for input that cannot be framed; the socket adapter should disconnect. */
export class EslProtocolError extends Error {
  override readonly name = 'EslProtocolError';
}

/** Parser limits. */
export interface FrameParserOptions {
  /** Largest header block in bytes (default 1 MiB; the outbound connect reply is ~6 KB). */
  maxHeaderBytes?: number;
  /** Largest Content-Length accepted (default 16 MiB, FreeSWITCH's MAX_CONTENT_LENGTH). */
  maxBodyBytes?: number;
}

/**
 * Incremental frame parser. After it throws, it stays failed: every further `push` throws.
 *
 * @example
 * const p = new EslFrameParser();
 * socket.on('data', (chunk) => p.push(chunk, (frame) => handle(frame)));
 */
export class EslFrameParser {
  private buf: Buffer = EMPTY;
  private dv: DataView = EMPTY_VIEW; // views `buf`
  private slab: Buffer = EMPTY;
  private slabUsed = 0;
  private owned = false; // true when `buf` was allocated here (spare capacity may be appended to)
  private start = 0;
  private end = 0;
  private scanFrom = 0; // where to resume searching for the end of the header block
  private pendingHeadEnd = -1; // header block found, waiting for the body
  private pendingBodyLen = 0;
  private pendingType: string | undefined; // Content-Type, when the event fast path read the header block
  private readonly eventHead: EventHead = { bodyLength: 0, contentType: '' };
  private failed: EslProtocolError | undefined;
  private readonly maxHeader: number;
  private readonly maxBody: number;

  constructor(opts: FrameParserOptions = {}) {
    this.maxHeader = opts.maxHeaderBytes ?? 1 << 20;
    this.maxBody = opts.maxBodyBytes ?? 16 << 20;
  }

  /** Bytes received but not yet part of an emitted frame (non-zero at close = truncated frame). */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  /** Drop all buffered state (e.g. after a reconnect). */
  reset(): void {
    this.buf = EMPTY;
    this.dv = EMPTY_VIEW;
    this.slab = EMPTY;
    this.slabUsed = 0;
    this.owned = false;
    this.start = this.end = this.scanFrom = 0;
    this.pendingHeadEnd = -1;
    this.pendingBodyLen = 0;
    this.pendingType = undefined;
    this.failed = undefined;
  }

  /** Feed bytes; calls `onFrame` for each complete frame, in order. Throws EslProtocolError on bad input. */
  push(chunk: Uint8Array, onFrame: (frame: EslFrame) => void): void {
    if (this.failed) throw this.failed;
    if (chunk.length === 0) return;
    let c = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    try {
      // A frame left unfinished by the last read: copy in only the bytes that can finish it,
      // then parse the rest of the chunk in place — one frame copied per read, not the whole read.
      while (this.start < this.end && c.length > 0) {
        const take = this.stitchLength(c);
        this.append(take === c.length ? c : c.subarray(0, take));
        c = c.subarray(take);
        this.drain(onFrame);
      }
      if (c.length > 0) {
        // Nothing buffered: parse the chunk in place (the socket never reuses it).
        this.buf = c;
        this.dv = viewOf(c);
        this.owned = false;
        this.start = this.scanFrom = 0;
        this.end = c.length;
        this.drain(onFrame);
      }
      if (this.start === this.end && this.slab !== EMPTY) {
        // Nothing left unfinished: an idle connection (outbound: one per channel) keeps no slab.
        this.slab = EMPTY;
        this.slabUsed = 0;
      }
    } catch (err) {
      if (err instanceof EslProtocolError) this.failed = err;
      throw err;
    }
  }

  /**
   * How many leading bytes of `c` to append to the unfinished frame: the rest of its body once
   * its size is known, else up to the first blank line in `c` (the header block's end, or
   * further when it straddles the two reads — `drain` finds it either way).
   */
  private stitchLength(c: Buffer): number {
    if (this.pendingHeadEnd >= 0) {
      return Math.min(c.length, Math.max(1, this.pendingHeadEnd + this.pendingBodyLen - this.end));
    }
    const blank = c.indexOf(BLANK_LINE);
    return blank < 0 ? c.length : blank + 2;
  }

  /** Append to the unfinished frame's bytes (never in place: something is buffered). */
  private append(c: Buffer): void {
    if (this.owned && this.buf.length - this.end >= c.length) {
      c.copy(this.buf, this.end);
      this.end += c.length;
      return;
    }
    const live = this.end - this.start;
    // Size for the whole pending body when known, so a big body is copied once, not per read.
    const need = live + c.length;
    const size =
      this.pendingHeadEnd >= 0
        ? Math.max(need, this.pendingHeadEnd - this.start + this.pendingBodyLen) // known frame size
        : Math.max(Math.min(2 * need, need + 65536), 4096); // header block still growing: double

    const next = this.allocate(size);
    this.buf.copy(next, 0, this.start, this.end);
    c.copy(next, live);
    const shift = this.start;
    if (this.pendingHeadEnd >= 0) this.pendingHeadEnd -= shift;
    this.scanFrom -= shift;
    this.buf = next;
    this.dv = viewOf(next);
    this.owned = true;
    this.start = 0;
    this.end = live + c.length;
  }

  /** `size` fresh bytes: a slice of the slab, or a buffer of its own when larger than a slab. */
  private allocate(size: number): Buffer {
    if (size > SLAB_BYTES / 2) return Buffer.allocUnsafe(size);
    if (this.slab.length - this.slabUsed < size) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + size);
    this.slabUsed += (size + 7) & ~7; // 8-aligned slices
    return out;
  }

  private drain(onFrame: (frame: EslFrame) => void): void {
    const buf = this.buf;
    while (this.start < this.end) {
      if (this.pendingHeadEnd < 0) {
        // Skip blank lines between frames (FS ignores leading blank lines on commands).
        while (this.start < this.end && (buf[this.start] === NL || buf[this.start] === CR)) this.start++;
        if (this.start >= this.end) break;
        const head = readEventHead(buf, this.dv, this.start, this.end, this.maxBody, this.eventHead);
        if (head >= 0) {
          this.pendingHeadEnd = head;
          this.pendingBodyLen = this.eventHead.bodyLength;
          this.pendingType = this.eventHead.contentType;
        }
      }
      if (this.pendingHeadEnd < 0) {
        if (this.scanFrom < this.start) this.scanFrom = this.start;
        const term = this.findTerminator();
        if (term < 0) {
          if (this.end - this.start > this.maxHeader) {
            throw new EslProtocolError(`ESL header block exceeds ${this.maxHeader} bytes`);
          }
          break;
        }
        if (term - this.start > this.maxHeader) {
          throw new EslProtocolError(`ESL header block exceeds ${this.maxHeader} bytes`);
        }
        this.pendingHeadEnd = term; // index just past the blank line
        this.pendingBodyLen = this.contentLength(this.start, term);
      }
      const bodyStart = this.pendingHeadEnd;
      if (this.end - bodyStart < this.pendingBodyLen) break;
      const bodyEnd = bodyStart + this.pendingBodyLen;
      const headEnd = this.headEndFor(bodyStart);
      const frame = new EslFrame(buf, this.start, headEnd, bodyStart, bodyEnd, this.pendingType, this.dv);
      this.start = bodyEnd;
      this.scanFrom = bodyEnd;
      this.pendingHeadEnd = -1;
      this.pendingBodyLen = 0;
      this.pendingType = undefined;
      onFrame(frame);
    }
    if (this.start === this.end) {
      // Fully consumed: reuse an owned buffer from the front only if nothing handed out can be
      // overwritten — it can, so just drop it and let the next chunk be parsed in place.
      this.start = this.end = this.scanFrom = 0;
      this.buf = EMPTY;
      this.dv = EMPTY_VIEW;
      this.owned = false;
    }
  }

  /** Index just past the `\n\n` (or `\n\r\n`) ending the header block, or -1 (saves progress). */
  private findTerminator(): number {
    const buf = this.buf;
    let i = this.scanFrom;
    while (i < this.end) {
      const nl = buf.indexOf(NL, i);
      if (nl < 0 || nl >= this.end) {
        this.scanFrom = this.end;
        return -1;
      }
      if (nl + 1 >= this.end) {
        this.scanFrom = nl; // the second `\n` may arrive in the next read
        return -1;
      }
      const b = buf[nl + 1];
      if (b === NL) return nl + 2;
      if (b === CR) {
        if (nl + 2 >= this.end) {
          this.scanFrom = nl;
          return -1;
        }
        if (buf[nl + 2] === NL) return nl + 3;
      }
      i = nl + 1;
    }
    this.scanFrom = this.end;
    return -1;
  }

  /** Position of the blank line that ends the block starting at `start` and ending at `term`. */
  private headEndFor(term: number): number {
    // term is just past "\n\n" or "\n\r\n": the header lines end right after the first "\n".
    return this.buf[term - 2] === CR ? term - 2 : term - 1;
  }

  private contentLength(start: number, term: number): number {
    const block = new HeaderBlock(this.buf, start, this.headEndFor(term));
    const r = block.find(H.contentLength);
    if (!r) return 0;
    let n = 0;
    let digits = 0;
    for (let i = r.start; i < r.end; i++) {
      const b = this.buf[i]!;
      if (b === 0x20 || b === 0x09) continue;
      if (b < 0x30 || b > 0x39) throw new EslProtocolError('ESL Content-Length is not a number');
      n = n * 10 + (b - 0x30);
      if (++digits > 12) break;
    }
    if (digits === 0) throw new EslProtocolError('ESL Content-Length is empty');
    if (n > this.maxBody) throw new EslProtocolError(`ESL Content-Length ${n} exceeds ${this.maxBody} bytes`);
    return n;
  }
}
