import type { Redis } from 'ioredis';

// Fixed window per token: INCR, set the expiry on the first hit, read the time left.
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {n, ttl}`;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** The subset of ioredis the limiter uses. */
export type RateLimitRedis = Pick<Redis, 'eval'>;

/**
 * Per-token request limit in Redis, shared by every API process. When Redis is away the
 * limiter lets requests through (fail open): operators must still be able to drain a node
 * during a Redis outage, and the token check itself still applies.
 */
export class RateLimiter {
  constructor(
    private readonly redis: RateLimitRedis,
    private readonly keyOf: (tokenId: string) => string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async hit(tokenId: string): Promise<RateDecision> {
    try {
      const [n, ttl] = (await this.redis.eval(SCRIPT, 1, this.keyOf(tokenId), String(this.windowMs))) as [
        number,
        number,
      ];
      return {
        allowed: n <= this.limit,
        limit: this.limit,
        remaining: Math.max(0, this.limit - n),
        resetMs: ttl > 0 ? ttl : this.windowMs,
      };
    } catch {
      return { allowed: true, limit: this.limit, remaining: this.limit, resetMs: this.windowMs };
    }
  }
}
