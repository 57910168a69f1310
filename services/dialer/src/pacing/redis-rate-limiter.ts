/** A token bucket shared by every dialer process (so N dialers together keep one rate). */
export interface SharedRateLimiter {
  /** Takes up to `want` tokens from bucket `key` (refilled at `ratePerSec`, capped at `burst`); returns how many. */
  take(key: string, ratePerSec: number, burst: number, want: number): Promise<number>;
  /** Returns unused tokens (capped at `burst`). */
  giveBack(key: string, n: number, burst: number): Promise<void>;
}

/** The subset of an ioredis client the limiter uses. */
export interface LimiterRedis {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

// Refill from the Redis clock (one clock for every process), then take. Atomic per key.
const TAKE = `
local k = KEYS[1]
local rate = tonumber(ARGV[1]); local burst = tonumber(ARGV[2]); local want = tonumber(ARGV[3])
local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('HMGET', k, 'tokens', 'ts')
local tokens = tonumber(v[1]) or burst
local ts = tonumber(v[2]) or now
if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate / 1000); ts = now end
local got = math.max(0, math.min(want, math.floor(tokens)))
tokens = tokens - got
redis.call('HSET', k, 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', k, 60000)
return got`;

const GIVE_BACK = `
local k = KEYS[1]
local v = redis.call('HGET', k, 'tokens')
if v then redis.call('HSET', k, 'tokens', tostring(math.min(tonumber(ARGV[2]), tonumber(v) + tonumber(ARGV[1])))) end
return 1`;

/**
 * Redis-backed {@link SharedRateLimiter}: one hash per bucket, refilled by a Lua script on
 * the Redis clock. Keys expire a minute after last use (bounded).
 *
 * @example
 * const l = new RedisRateLimiter(redis, 'sy:dialer:rate:'); await l.take('campaign:7', 20, 5, 5);
 */
export class RedisRateLimiter implements SharedRateLimiter {
  constructor(
    private readonly redis: LimiterRedis,
    private readonly prefix: string,
  ) {}

  async take(key: string, ratePerSec: number, burst: number, want: number): Promise<number> {
    if (want <= 0) return 0;
    return Number(await this.redis.eval(TAKE, 1, this.prefix + key, ratePerSec, burst, want));
  }

  async giveBack(key: string, n: number, burst: number): Promise<void> {
    if (n > 0) await this.redis.eval(GIVE_BACK, 1, this.prefix + key, n, burst);
  }
}
