/**
 * Bounded map of keyed waiters (bgapi jobs by Job-UUID, apps by Application-UUID), each with a
 * timeout and an optional AbortSignal. Every entry leaves the map when settled — that is its
 * eviction story; the size cap turns overload into an immediate error instead of growth.
 */

import { EslError } from './errors.ts';

interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
  cleanup: (() => void) | undefined;
  onSettle: (() => void) | undefined;
}

/** Keyed, bounded waiters. */
export class WaiterMap<T> {
  private readonly map = new Map<string, Waiter<T>>();

  constructor(
    private readonly max: number,
    private readonly what: string,
  ) {}

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Register a waiter; throws EslError('busy') when full. `onSettle` runs once however it ends. */
  add(key: string, timeoutMs: number, signal?: AbortSignal, onSettle?: () => void): Promise<T> {
    if (this.map.size >= this.max) throw new EslError('busy', `too many pending ${this.what}s (${this.max})`);
    if (this.map.has(key)) throw new EslError('busy', `duplicate ${this.what} id ${key}`);
    if (signal?.aborted) throw new EslError('aborted', `${this.what} aborted`);
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = { resolve, reject, timer: undefined, cleanup: undefined, onSettle };
      if (timeoutMs > 0) {
        w.timer = setTimeout(() => this.reject(key, new EslError('timeout', `${this.what} ${key} timed out after ${timeoutMs} ms`)), timeoutMs);
        w.timer.unref?.();
      }
      if (signal) {
        const onAbort = () => this.reject(key, new EslError('aborted', `${this.what} ${key} aborted`));
        signal.addEventListener('abort', onAbort, { once: true });
        w.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.map.set(key, w);
    });
  }

  resolve(key: string, value: T): boolean {
    const w = this.take(key);
    if (w) w.resolve(value);
    return !!w;
  }

  reject(key: string, err: Error): boolean {
    const w = this.take(key);
    if (w) w.reject(err);
    return !!w;
  }

  /** Reject every waiter (connection lost). */
  rejectAll(err: Error): void {
    for (const key of [...this.map.keys()]) this.reject(key, err);
  }

  private take(key: string): Waiter<T> | undefined {
    const w = this.map.get(key);
    if (!w) return undefined;
    this.map.delete(key);
    if (w.timer) clearTimeout(w.timer);
    w.cleanup?.();
    w.onSettle?.();
    return w;
  }
}
