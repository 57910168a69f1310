/**
 * Pipelined command → reply matching. FreeSWITCH answers commands strictly in order, so replies
 * are matched FIFO. A timed-out or aborted command keeps its slot (its late reply must still be
 * consumed, or every later reply would go to the wrong caller) but its promise is already settled.
 */

import type { EslFrame } from '../codec/frame.ts';
import { EslError } from './errors.ts';

interface Slot {
  resolve: (f: EslFrame) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
  cleanup: (() => void) | undefined;
}

/** Options for one command. */
export interface CommandOptions {
  /** Reply timeout in ms (default: the connection's). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Bounded FIFO of commands awaiting a reply. */
export class ReplyQueue {
  private readonly slots: Slot[] = [];
  private head = 0;

  constructor(private readonly maxInFlight: number) {}

  /** Commands written and not yet answered (including abandoned ones). */
  get size(): number {
    return this.slots.length - this.head;
  }

  /** Reserve a slot; throws EslError('busy') when full. Call before writing the command. */
  enqueue(timeoutMs: number, signal?: AbortSignal): Promise<EslFrame> {
    if (this.size >= this.maxInFlight) throw new EslError('busy', `ESL pipeline full (${this.maxInFlight} commands in flight)`);
    if (signal?.aborted) throw new EslError('aborted', 'ESL command aborted before it was sent');
    return new Promise<EslFrame>((resolve, reject) => {
      const slot: Slot = { resolve, reject, timer: undefined, settled: false, cleanup: undefined };
      const fail = (e: Error) => this.settle(slot, () => reject(e));
      if (timeoutMs > 0) {
        slot.timer = setTimeout(() => fail(new EslError('timeout', `ESL reply timeout after ${timeoutMs} ms`)), timeoutMs);
        slot.timer.unref?.();
      }
      if (signal) {
        const onAbort = () => fail(new EslError('aborted', 'ESL command aborted'));
        signal.addEventListener('abort', onAbort, { once: true });
        slot.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.slots.push(slot);
    });
  }

  /** Deliver a reply to the oldest slot. Returns false if nothing was waiting (protocol error). */
  deliver(frame: EslFrame): boolean {
    if (this.head >= this.slots.length) return false;
    const slot = this.slots[this.head]!;
    this.slots[this.head++] = undefined as unknown as Slot;
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots.splice(0, this.head); // compact occasionally: O(1) amortised
      this.head = 0;
    }
    this.settle(slot, () => slot.resolve(frame));
    return true;
  }

  /** Fail every slot (connection lost) and empty the queue. */
  failAll(err: Error): void {
    for (let i = this.head; i < this.slots.length; i++) {
      const slot = this.slots[i]!;
      this.settle(slot, () => slot.reject(err));
    }
    this.slots.length = 0;
    this.head = 0;
  }

  private settle(slot: Slot, action: () => void): void {
    if (slot.settled) return;
    slot.settled = true;
    if (slot.timer) clearTimeout(slot.timer);
    slot.cleanup?.();
    action();
  }
}
