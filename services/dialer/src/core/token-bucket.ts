/**
 * Token bucket over an injected clock (ms). Pure: no timers; the caller passes `now`.
 *
 * @example
 * const b = new TokenBucket(10, 2, 0); b.tryTake(0); // true — 2 tokens of burst
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private ratePerSec: number,
    private burst: number,
    now: number,
  ) {
    if (!(ratePerSec > 0) || !(burst >= 1)) throw new RangeError(`bad bucket: rate ${ratePerSec}, burst ${burst}`);
    this.tokens = burst;
    this.last = now;
  }

  /** Current rate in tokens per second. */
  get rate(): number {
    return this.ratePerSec;
  }

  /** Changes the rate (e.g. the abandon budget throttling) without losing accrued tokens. */
  setRate(ratePerSec: number, now: number, burst = this.burst): void {
    this.refill(now);
    this.ratePerSec = Math.max(ratePerSec, 1e-6);
    this.burst = Math.max(1, burst);
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /** Whole tokens available now. */
  available(now: number): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** Takes `n` tokens if all are there. */
  tryTake(now: number, n = 1): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Gives back tokens taken for work that did not happen (capped at burst). */
  giveBack(n: number): void {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }

  /** Milliseconds until one token is available (0 if one is there now). */
  msUntilNext(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
  }

  private refill(now: number): void {
    const dt = now - this.last;
    if (dt > 0) this.tokens = Math.min(this.burst, this.tokens + (dt / 1000) * this.ratePerSec);
    this.last = Math.max(this.last, now);
  }
}
