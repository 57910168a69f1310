import type { CallSnapshot } from './call-snapshot.ts';

/** Options of {@link SnapshotWriter}. */
export interface SnapshotWriterOptions {
  /** Stores a batch in one round trip (`CallOwnership.saveSnapshots`). */
  write(batch: CallSnapshot[]): Promise<unknown>;
  /** Snapshots per write (default 500). */
  maxBatch?: number;
}

/**
 * Coalesces takeover snapshots: every call's latest snapshot of one event-loop turn goes
 * to Redis in one command at the end of that turn, instead of one SET per state change.
 * That is ahead of the call-log producer's timed flush of the same events, so a successor
 * does not find the log ahead of the snapshot. Holds at most one entry per live call.
 */
export class SnapshotWriter {
  private readonly pending = new Map<string, CallSnapshot>();
  private scheduled = false;
  private readonly max: number;

  constructor(private readonly o: SnapshotWriterOptions) {
    this.max = o.maxBatch ?? 500;
  }

  /** Queues `s` (replacing the call's unwritten one); O(1). */
  save(s: CallSnapshot): void {
    this.pending.set(s.callId, s);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  /** Forgets the call's unwritten snapshot (its release deletes the stored one). */
  drop(callId: string): void {
    this.pending.delete(callId);
  }

  /** Unwritten snapshots. */
  get size(): number {
    return this.pending.size;
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const all = [...this.pending.values()];
    this.pending.clear();
    // Best effort like the call path's other writes: a lost snapshot only ages the takeover point.
    for (let i = 0; i < all.length; i += this.max) void this.o.write(all.slice(i, i + this.max)).catch(() => {});
  };
}
