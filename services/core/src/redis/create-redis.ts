import { Redis, type RedisOptions } from 'ioredis';
import { backoffDelay } from '../backoff.ts';

/**
 * An ioredis client that reconnects with jittered, capped backoff and never queues
 * commands without bound while Redis is away (callers see errors and fall back).
 */
export function createRedis(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, {
    retryStrategy: (times) => 50 + backoffDelay(times, { baseMs: 100, maxMs: 3_000 }),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
    ...opts,
  });
}
export type { Redis };
