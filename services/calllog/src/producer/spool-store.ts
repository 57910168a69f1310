import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Options of {@link SpoolStore}. */
export interface SpoolStoreOptions {
  /** Folder of the segment files (created if missing). */
  dir: string;
  /** Hard cap over all segments; appends beyond it are refused (counted by the caller). */
  maxBytes?: number;
  /** A segment is closed for replay once it reaches this size. */
  segmentBytes?: number;
}

const SEGMENT = /^calllog-(\d{12})\.ndjson$/;

/**
 * The producer's local spool: append-only NDJSON segment files, fsync'd once per
 * appended batch. Segments are replayed oldest first and deleted once Redis has them.
 * Not re-entrant: the producer serialises every call.
 */
export class SpoolStore {
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  /** Closed segments, oldest first, with their sizes. */
  private readonly closed: { file: string; bytes: number }[] = [];
  private active: { file: string; bytes: number; fh: fs.FileHandle | null } | null = null;
  private next = 0;

  constructor(opts: SpoolStoreOptions) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
    this.segmentBytes = opts.segmentBytes ?? 4 * 1024 * 1024;
  }

  /** Picks up segments a previous process left behind (they are replayed first). */
  async open(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = (await fs.readdir(this.dir)).filter((n) => SEGMENT.test(n)).sort();
    for (const n of names) {
      const file = path.join(this.dir, n);
      const { size } = await fs.stat(file);
      if (size > 0) this.closed.push({ file, bytes: size });
      else await fs.rm(file, { force: true });
      this.next = Math.max(this.next, Number(SEGMENT.exec(n)![1]) + 1);
    }
  }

  /** Bytes held over all segments. */
  get bytes(): number {
    return this.closed.reduce((a, s) => a + s.bytes, 0) + (this.active?.bytes ?? 0);
  }

  get empty(): boolean {
    return this.closed.length === 0 && (this.active === null || this.active.bytes === 0);
  }

  /** Appends lines and fsyncs; returns false (nothing written) when the spool is full. */
  async append(lines: string[]): Promise<boolean> {
    const data = `${lines.join('\n')}\n`;
    const size = Buffer.byteLength(data);
    if (this.bytes + size > this.maxBytes) return false;
    if (this.active && this.active.bytes >= this.segmentBytes) await this.rotate();
    if (!this.active) {
      const file = path.join(this.dir, `calllog-${String(this.next++).padStart(12, '0')}.ndjson`);
      this.active = { file, bytes: 0, fh: await fs.open(file, 'a') };
    }
    const fh = this.active.fh!;
    await fh.write(data);
    await fh.datasync();
    this.active.bytes += size;
    return true;
  }

  /** Closes the active segment so the next append starts a new one. */
  private async rotate(): Promise<void> {
    const a = this.active;
    if (!a) return;
    this.active = null;
    await a.fh?.close();
    if (a.bytes > 0) this.closed.push({ file: a.file, bytes: a.bytes });
    else await fs.rm(a.file, { force: true });
  }

  /**
   * The oldest segment's lines (the active one is closed first if it is the only one).
   * A torn last line (crash mid-write) is skipped.
   */
  async oldest(): Promise<{ file: string; lines: string[] } | null> {
    if (this.closed.length === 0) await this.rotate();
    const seg = this.closed[0];
    if (!seg) return null;
    const text = await fs.readFile(seg.file, 'utf8');
    const lines = text.split('\n');
    if (!text.endsWith('\n')) lines.pop();
    return { file: seg.file, lines: lines.filter((l) => l.length > 0) };
  }

  /** Deletes a replayed segment. */
  async remove(file: string): Promise<void> {
    const i = this.closed.findIndex((s) => s.file === file);
    if (i >= 0) this.closed.splice(i, 1);
    await fs.rm(file, { force: true });
  }

  async close(): Promise<void> {
    await this.active?.fh?.close();
    if (this.active) {
      const a = this.active;
      this.active = null;
      if (a.bytes > 0) this.closed.push({ file: a.file, bytes: a.bytes });
    }
  }
}
