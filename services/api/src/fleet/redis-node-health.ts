import type { Logger, Redis } from '@switchyard/core';

/** Where the engine publishes a node's live facts in Redis. */
export interface NodeHealthKeys {
  /** Channel counter the engine keeps per node (`redisKeys().nodeChannels`). */
  channels: (node: string) => string;
  /** "1" with a short TTL while the engine's ESL connection to the node is up. */
  eslUp: (node: string) => string;
}

/** Tuning of {@link RedisNodeHealth}. */
export interface RedisNodeHealthOptions {
  /**
   * How long a node's ESL key must stay missing, over successful reads, before the node
   * counts as ESL down (default 15 s). Covers the engine republishing after a Redis outage
   * (its keys expired meanwhile) so an outage never demotes healthy nodes.
   */
  downGraceMs?: number;
  log?: Pick<Logger, 'warn' | 'info'>;
  now?: () => number;
}

interface Entry {
  /** null = unknown: never read, or missing for less than the grace. */
  esl: boolean | null;
  calls: number;
  asked: number;
  /** First successful read that found the key missing (since the last "1" or Redis error). */
  missingSince: number | null;
}

/**
 * ESL health and calls in flight per node as the engine publishes them in Redis, cached in
 * memory so the fleet library can ask synchronously. Refreshed every `intervalMs` for the
 * nodes it has been asked about (bounded by the fleet size; names not asked for within
 * ten refreshes are dropped). Unknown is not down: a node is reported ESL down only after
 * its key has been missing for `downGraceMs` of reachable Redis; before its first read,
 * and while Redis is unreachable, it is reported as the last known state (or null).
 */
export class RedisNodeHealth {
  private readonly seen = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;
  private round = 0;
  private redisDown = false;
  private readonly downGraceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: Pick<Redis, 'mget'>,
    private readonly keys: NodeHealthKeys,
    private readonly o: RedisNodeHealthOptions = {},
  ) {
    this.downGraceMs = o.downGraceMs ?? 15_000;
    this.now = o.now ?? Date.now;
  }

  /** true/false when known; null while unknown (the fleet then keeps the node's state). */
  isEslUp(node: string): boolean | null {
    return this.entry(node).esl;
  }

  inFlightCalls(node: string): number {
    return this.entry(node).calls;
  }

  /** Reads every known node's keys in one MGET; on a Redis error the last values stay. */
  async refresh(): Promise<void> {
    this.round++;
    for (const [name, e] of this.seen) if (this.round - e.asked > 10) this.seen.delete(name);
    const names = [...this.seen.keys()];
    if (names.length === 0) return;
    let vals: (string | null)[];
    try {
      vals = await this.redis.mget(...names.flatMap((n) => [this.keys.eslUp(n), this.keys.channels(n)]));
    } catch (err) {
      this.onRedisError(err);
      return;
    }
    if (this.redisDown) this.o.log?.info({ downGraceMs: this.downGraceMs }, 'node health: Redis back; missing ESL keys get the grace before a node counts as down');
    this.redisDown = false;
    const now = this.now();
    names.forEach((n, i) => {
      const e = this.seen.get(n);
      if (!e) return;
      this.applyEsl(n, e, vals[2 * i] === '1', now);
      e.calls = Math.max(0, Number(vals[2 * i + 1] ?? 0) || 0);
    });
  }

  start(intervalMs = 2_000): void {
    this.timer ??= setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private applyEsl(node: string, e: Entry, up: boolean, now: number): void {
    if (up) {
      e.esl = true;
      e.missingSince = null;
      return;
    }
    if (e.esl === false) return;
    e.missingSince ??= now;
    if (now - e.missingSince < this.downGraceMs) return;
    if (e.esl === true) this.o.log?.warn({ node, missingMs: now - e.missingSince }, 'node health: ESL key missing past the grace; node counts as ESL down');
    e.esl = false;
  }

  private onRedisError(err: unknown): void {
    // Redis away: keep the last known values, and restart the evidence of "missing" once it
    // is back (the engine's keys expire meanwhile; that is not a node going down).
    for (const e of this.seen.values()) e.missingSince = null;
    if (!this.redisDown) this.o.log?.warn({ err: (err as Error).message }, 'node health: Redis unreachable; keeping last known node states');
    this.redisDown = true;
  }

  private entry(node: string): Entry {
    let e = this.seen.get(node);
    if (!e) this.seen.set(node, (e = { esl: null, calls: 0, asked: this.round, missingSince: null }));
    e.asked = this.round;
    return e;
  }
}
