import type { LiveStats } from '../runner/dialer-runner.ts';

/** The subset of an ioredis client the live-progress store uses. */
export interface ProgressRedis {
  hset(key: string, field: string, value: string): Promise<unknown>;
  pexpire(key: string, ms: number): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
}

/** Live figures summed over every dialer process working a campaign. */
export interface LiveProgress {
  inFlight: number;
  ratePerSec: number;
  /** Lowest abandon-budget pacing factor any dialer applies (1 = full speed). */
  abandonFactor: number;
  dialers: number;
}

/**
 * Each dialer publishes its per-campaign live stats to one Redis hash (field = dialer id,
 * value stamped with time; the key expires when nobody publishes), so progress is a sum
 * across processes. Entries older than `staleMs` (a dead dialer) are ignored.
 */
export class LiveProgressStore {
  constructor(
    private readonly redis: ProgressRedis,
    private readonly key: (campaignId: string) => string,
    private readonly staleMs = 3000,
  ) {}

  async publish(campaignId: string, dialerId: string, s: LiveStats, now = Date.now()): Promise<void> {
    const k = this.key(campaignId);
    await this.redis.hset(k, dialerId, JSON.stringify({ ...s, at: now }));
    await this.redis.pexpire(k, this.staleMs * 3);
  }

  async read(campaignId: string, now = Date.now()): Promise<LiveProgress> {
    const all = await this.redis.hgetall(this.key(campaignId));
    const out: LiveProgress = { inFlight: 0, ratePerSec: 0, abandonFactor: 1, dialers: 0 };
    for (const v of Object.values(all)) {
      let s: (LiveStats & { at: number }) | null = null;
      try {
        s = JSON.parse(v);
      } catch {
        continue;
      }
      if (!s || now - s.at > this.staleMs) continue;
      out.inFlight += s.inFlight;
      out.ratePerSec += s.ratePerSec;
      out.abandonFactor = Math.min(out.abandonFactor, s.abandonFactor);
      out.dialers++;
    }
    return out;
  }
}
