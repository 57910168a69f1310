import type { Redis } from 'ioredis';
export * from './ports.ts';
export * from './seeded-random.ts';
export * from '../managed-process.ts';
export * from './tcp-proxy.ts';
export * from './test-db.ts';
export * from './wait.ts';

/** A unique Redis key prefix for one test file. */
export function testRedisPrefix(tag = 't'): string {
  return `sytest:${tag}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
}
/**
 * Delete every key under `prefix` (SCAN + UNLINK, in batches): what a bench or test wrote,
 * such as a call-log stream of 100 000 entries, must not pile up in a developer's Redis.
 */
export async function clearRedisPrefix(redis: Pick<Redis, 'scan' | 'unlink'>, prefix: string): Promise<number> {
  if (!prefix) throw new Error('clearRedisPrefix: refusing an empty prefix');
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) n += await redis.unlink(...keys);
  } while (cursor !== '0');
  return n;
}

export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}
