import { abandonPacingFactor } from '../core/abandon-budget.ts';
import { TokenBucket } from '../core/token-bucket.ts';
import type { SharedRateLimiter } from '../pacing/redis-rate-limiter.ts';

/**
 * Per-campaign and per-trunk token buckets. The campaign bucket runs at
 * max_cps × the abandon-budget factor; a trunk bucket is shared by every campaign on it.
 * Maps hold running campaigns and configured trunks only (pruned by the runner).
 */
export class CampaignPacer {
  private readonly campaigns = new Map<string, { bucket: TokenBucket; maxCps: number; factor: number }>();
  private readonly trunks = new Map<string, TokenBucket>();

  constructor(
    private readonly trunkCps: Record<string, number>,
    private readonly clock: () => number,
    /** With several dialer processes: buckets shared through Redis instead of in memory. */
    private readonly shared: SharedRateLimiter | null = null,
  ) {}

  /** Registers or updates a campaign's ceiling. Burst is ~250 ms of calls (at least 1). */
  upsert(id: string, maxCps: number): void {
    const now = this.clock();
    const cur = this.campaigns.get(id);
    if (!cur) this.campaigns.set(id, { bucket: new TokenBucket(maxCps, burstFor(maxCps), now), maxCps, factor: 1 });
    else if (cur.maxCps !== maxCps) {
      cur.maxCps = maxCps;
      cur.bucket.setRate(maxCps * cur.factor, now, burstFor(maxCps));
    }
  }

  /** Applies the abandon budget (rolling counts) to a campaign's rate; returns the factor. */
  applyAbandon(id: string, s: { liveAnswered: number; abandoned: number; budgetPct: number }): number {
    const cur = this.campaigns.get(id);
    if (!cur) return 1;
    const f = abandonPacingFactor(s);
    if (f !== cur.factor) {
      cur.factor = f;
      cur.bucket.setRate(cur.maxCps * f, this.clock(), burstFor(cur.maxCps * f));
    }
    return f;
  }

  factor(id: string): number {
    return this.campaigns.get(id)?.factor ?? 1;
  }

  /** Takes up to `want` tokens from the campaign and its trunk; returns how many it got. */
  async take(id: string, trunk: string, want: number): Promise<number> {
    const c = this.campaigns.get(id);
    if (!c || want <= 0) return 0;
    if (this.shared) return this.takeShared(id, c.maxCps * c.factor, trunk, want);
    const now = this.clock();
    const t = this.trunkBucket(trunk, now);
    const n = Math.min(want, c.bucket.available(now), t ? t.available(now) : want);
    if (n <= 0) return 0;
    c.bucket.tryTake(now, n);
    t?.tryTake(now, n);
    return n;
  }

  private async takeShared(id: string, rate: number, trunk: string, want: number): Promise<number> {
    const s = this.shared!;
    const got = await s.take(`campaign:${id}`, rate, burstFor(rate), want);
    const cps = this.trunkCps[trunk];
    if (!cps || got === 0) return got;
    const t = await s.take(`trunk:${trunk}`, cps, burstFor(cps), got);
    if (t < got) await s.giveBack(`campaign:${id}`, got - t, burstFor(rate));
    return t;
  }

  /** Returns unused tokens (claimed fewer contacts than tokens taken). */
  async giveBack(id: string, trunk: string, n: number): Promise<void> {
    if (n <= 0) return;
    const c = this.campaigns.get(id);
    if (this.shared) {
      if (c) await this.shared.giveBack(`campaign:${id}`, n, burstFor(c.maxCps * c.factor));
      const cps = this.trunkCps[trunk];
      if (cps) await this.shared.giveBack(`trunk:${trunk}`, n, burstFor(cps));
      return;
    }
    this.campaigns.get(id)?.bucket.giveBack(n);
    this.trunks.get(trunk)?.giveBack(n);
  }

  /** Forgets campaigns no longer running. */
  retain(ids: Set<string>): void {
    for (const id of this.campaigns.keys()) if (!ids.has(id)) this.campaigns.delete(id);
  }

  private trunkBucket(trunk: string, now: number): TokenBucket | null {
    const cps = this.trunkCps[trunk];
    if (!cps) return null;
    let b = this.trunks.get(trunk);
    if (!b) this.trunks.set(trunk, (b = new TokenBucket(cps, burstFor(cps), now)));
    return b;
  }
}

// ~250 ms of calls: enough to ride out a slow tick (a busy database) without losing rate,
// small enough that no second ever sees much more than the set rate.
function burstFor(cps: number): number {
  return Math.max(1, Math.ceil(cps / 4));
}
