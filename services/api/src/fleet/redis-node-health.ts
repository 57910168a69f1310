import type { Redis } from '@switchyard/core';

/** Where the engine publishes a node's live facts in Redis. */
export interface NodeHealthKeys {
  /** Channel counter the engine keeps per node (`redisKeys().nodeChannels`). */
  channels: (node: string) => string;
  /** "1" with a short TTL while the engine's ESL connection to the node is up. */
  eslUp: (node: string) => string;
}

/**
 * ESL health and calls in flight per node as the engine publishes them in Redis, cached in
 * memory so the fleet library can ask synchronously. Refreshed every `intervalMs` for the
 * nodes it has been asked about (bounded by the fleet size; names not asked for within
 * ten refreshes are dropped).
 */
export class RedisNodeHealth {
  private readonly seen = new Map<string, { esl: boolean; calls: number; asked: number }>();
  private timer: NodeJS.Timeout | null = null;
  private round = 0;

  constructor(
    private readonly redis: Pick<Redis, 'mget'>,
    private readonly keys: NodeHealthKeys,
  ) {}

  isEslUp(node: string): boolean {
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
    try {
      const vals = await this.redis.mget(...names.flatMap((n) => [this.keys.eslUp(n), this.keys.channels(n)]));
      names.forEach((n, i) => {
        const e = this.seen.get(n);
        if (!e) return;
        e.esl = vals[2 * i] === '1';
        e.calls = Math.max(0, Number(vals[2 * i + 1] ?? 0) || 0);
      });
    } catch {
      // Redis away: keep the last known values; /ready already reports Redis down.
    }
  }

  start(intervalMs = 2_000): void {
    this.timer ??= setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private entry(node: string) {
    let e = this.seen.get(node);
    if (!e) this.seen.set(node, (e = { esl: false, calls: 0, asked: this.round }));
    e.asked = this.round;
    return e;
  }
}
