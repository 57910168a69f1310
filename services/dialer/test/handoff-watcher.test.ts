import { createRedis, type Redis, redisKeys, redisReady } from '@switchyard/core';
import { testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHandoffWatcher } from '../src/runner/engine-handoff-watcher.ts';

const keys = redisKeys(testRedisPrefix('handoff'));
let redis: Redis;

beforeAll(async () => {
  redis = createRedis(testRedisUrl());
  // No offline queue: a command sent before the connection is ready fails, so wait for it.
  await redisReady(redis);
});
afterAll(() => redis.disconnect());

describe('engine hand-off watcher (real Redis)', () => {
  it('resolves with the engine id once the marker appears, for many calls in one poll', async () => {
    const w = new EngineHandoffWatcher(redis, { key: keys.callHandoff, pollMs: 10, timeoutMs: 2000 });
    const uuids = Array.from({ length: 600 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const waits = uuids.map((u) => w.wait(u));
    expect(w.size).toBe(600);
    setTimeout(() => void Promise.all(uuids.map((u, i) => redis.set(keys.callHandoff(u), `engine-${i % 2}`, 'PX', 5000))), 50);
    const got = await Promise.all(waits);
    expect(got.filter((g) => g === 'engine-0')).toHaveLength(300);
    expect(got.filter((g) => g === 'engine-1')).toHaveLength(300);
    expect(w.size).toBe(0);
  });

  it('rejects when no engine took the call in time, refuses a duplicate wait, and fails waits on close', async () => {
    const w = new EngineHandoffWatcher(redis, { key: keys.callHandoff, pollMs: 10, timeoutMs: 150, maxPending: 2 });
    const t0 = Date.now();
    const lonely = w.wait('11111111-0000-4000-8000-000000000001');
    await expect(w.wait('11111111-0000-4000-8000-000000000001')).rejects.toThrow(/already waiting/);
    const closing = w.wait('11111111-0000-4000-8000-000000000002');
    await expect(w.wait('11111111-0000-4000-8000-000000000003')).rejects.toThrow(/too many/);
    await expect(lonely).rejects.toThrow(/no engine took/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    w.close();
    await expect(closing).rejects.toThrow();
    expect(w.size).toBe(0);
  });
});
