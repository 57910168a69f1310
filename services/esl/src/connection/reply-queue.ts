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
  /** performance.now() after which the command times out (Infinity: never). */
  deadline: number;
  timeoutMs: number;
  settled: boolean;
  cleanup: (() => void) | undefined;
}

/** Options for one command. */
export interface CommandOptions {
  /** Reply timeout in ms (default: the connection's). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Bounded FIFO of commands awaiting a reply. Timeouts share one timer, armed for the earliest
 * deadline: a timer per command was an allocation per prompt on the engine's hot path.
 */
export class ReplyQueue {
  private readonly slots: Slot[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;

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
      const deadline = timeoutMs > 0 ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
      const slot: Slot = { resolve, reject, deadline, timeoutMs, settled: false, cleanup: undefined };
      if (deadline < this.armedAt) this.arm(deadline);
      if (signal) {
        const onAbort = () => this.settle(slot, () => reject(new EslError('aborted', 'ESL command aborted')));
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
    this.disarm();
  }

  private arm(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = deadline;
    this.timer = setTimeout(this.expire, Math.max(0, deadline - performance.now()));
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  /** Fails every command past its deadline (O(commands in flight), once per earliest deadline) and re-arms. */
  private readonly expire = (): void => {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (let i = this.head; i < this.slots.length; i++) {
      const slot = this.slots[i]!;
      if (slot.settled) continue;
      if (slot.deadline <= now) this.settle(slot, () => slot.reject(new EslError('timeout', `ESL reply timeout after ${slot.timeoutMs} ms`)));
      else if (slot.deadline < next) next = slot.deadline;
    }
    if (next < Number.POSITIVE_INFINITY) this.arm(next);
  };

  private settle(slot: Slot, action: () => void): void {
    if (slot.settled) return;
    slot.settled = true;
    slot.cleanup?.();
    action();
  }
}
