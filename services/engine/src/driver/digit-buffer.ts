/**
 * DTMF received but not yet consumed, bounded like FreeSWITCH's digit queue (oldest
 * digits are dropped first). One waiter at a time: only one collect runs per call.
 */
export class DigitBuffer {
  private digits = '';
  private waiter: ((d: string) => void) | null = null;
  /** Digits pushed since creation; `play` uses it to see a barge-in. */
  received = 0;
  lastDigitAt = 0;

  constructor(private readonly max = 128) {}

  push(digit: string, at: number): void {
    this.received++;
    this.lastDigitAt = at;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(digit);
      return;
    }
    this.digits += digit;
    if (this.digits.length > this.max) this.digits = this.digits.slice(-this.max);
  }

  get size(): number {
    return this.digits.length;
  }

  peek(): string | undefined {
    return this.digits[0];
  }

  /** Takes the oldest buffered digit, if any. */
  take(): string | undefined {
    const d = this.digits[0];
    if (d !== undefined) this.digits = this.digits.slice(1);
    return d;
  }

  /** Resolves with the next digit (buffered or future), or `null` after `ms` or on `signal`. */
  next(ms: number, signal?: AbortSignal): Promise<string | null> {
    const d = this.take();
    if (d !== undefined) return Promise.resolve(d);
    return new Promise((resolve) => {
      const done = (v: string | null) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiter === done) this.waiter = null;
        resolve(v);
      };
      const onAbort = () => done(null);
      const timer = setTimeout(() => done(null), ms);
      this.waiter = done;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
