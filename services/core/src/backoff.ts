/** Capped, jittered exponential backoff ("full jitter"): spreads reconnects so a fleet never storms. */
export interface BackoffOptions {
  /** First delay ceiling in ms. */
  baseMs: number;
  /** Hard cap in ms. */
  maxMs: number;
  /** Random source in [0,1); injectable for tests. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based).
 *
 * @example
 * backoffDelay(3, { baseMs: 100, maxMs: 5_000 }); // somewhere in [0, 800)
 */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}
