import type { FlowClock } from '../runtime/runtime-types.ts';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Lets every pending promise continuation run (one macrotask turn drains the microtask queue). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when told to. Timers fire in due order during {@link advance},
 * with promise continuations flushed between them, so async flows behave as they would
 * in real time, only instantly. Also serves as XState's clock for `after` timers.
 */
export class VirtualClock implements FlowClock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(startAt = Date.UTC(2026, 0, 5, 10, 0, 0)) {
    this.t = startAt;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = ++this.seq;
    this.timers.set(id, { id, due: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.nextDue();
      if (!next || next.due > target) break;
      this.timers.delete(next.id);
      this.t = Math.max(this.t, next.due);
      next.fn();
      await flushMicrotasks();
    }
    this.t = target;
  }

  /** Resolves after `ms` of virtual time (for lookups in tests that need to be slow). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          this.clearTimeout(id);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  private nextDue(): Timer | undefined {
    let best: Timer | undefined;
    // Linear scan: a simulated call holds a handful of timers at a time.
    for (const t of this.timers.values()) if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    return best;
  }
}
