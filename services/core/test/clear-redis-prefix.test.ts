import { afterAll, describe, expect, it } from 'vitest';
import { createRedis, redisReady } from '../src/index.ts';
import { clearRedisPrefix, testRedisPrefix, testRedisUrl } from '../src/testing/index.ts';

const redis = createRedis(testRedisUrl());
afterAll(() => redis.disconnect());

describe('clearRedisPrefix', () => {
  it('deletes every key under the prefix, across SCAN pages, and nothing else', async () => {
    await redisReady(redis);
    const mine = testRedisPrefix('clear');
    const other = testRedisPrefix('clear-other');
    const p = redis.pipeline();
    for (let i = 0; i < 2500; i++) p.set(`${mine}k${i}`, '1');
    p.xadd(`${mine}stream`, '*', 'f', 'v');
    p.set(`${other}keep`, '1');
    await p.exec();
    expect(await clearRedisPrefix(redis, mine)).toBe(2501);
    expect(await redis.exists(`${mine}k0`, `${mine}k2499`, `${mine}stream`)).toBe(0);
    expect(await redis.get(`${other}keep`)).toBe('1');
    await clearRedisPrefix(redis, other);
    await expect(clearRedisPrefix(redis, '')).rejects.toThrow(/empty prefix/);
  });
});
