import { createRedis, type Redis } from '@switchyard/core';
import { startTcpProxy, type TcpProxy, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisNodeHealth } from '../src/fleet/redis-node-health.ts';

// Real Redis behind a TCP proxy we cut; the clock is ours so the grace is exact.
describe('RedisNodeHealth: unknown is not down', () => {
  const prefix = testRedisPrefix('nodehealth');
  const keys = { eslUp: (n: string) => `${prefix}esl:${n}`, channels: (n: string) => `${prefix}ch:${n}` };
  let direct: Redis;
  let viaProxy: Redis;
  let proxy: TcpProxy;
  let now = 1_000_000;

  beforeAll(async () => {
    const url = new URL(testRedisUrl());
    direct = createRedis(url.toString());
    proxy = await startTcpProxy(Number(url.port || 6379), url.hostname);
    url.port = String(proxy.port);
    viaProxy = createRedis(url.toString());
    viaProxy.on('error', () => {}); // the cut resets it on purpose
    await waitFor(async () => (await direct.ping().catch(() => '')) === 'PONG' && (await viaProxy.ping().catch(() => '')) === 'PONG', { what: 'Redis ready' });
  });

  afterAll(async () => {
    await direct.del(keys.eslUp('fs1'), keys.channels('fs1'));
    direct.disconnect();
    viaProxy.disconnect();
    await proxy.close();
  });

  it('reports null before the first read, then the published state', async () => {
    const h = new RedisNodeHealth(viaProxy, keys, { downGraceMs: 10_000, now: () => now });
    expect(h.isEslUp('fs1')).toBeNull();
    await direct.set(keys.eslUp('fs1'), '1');
    await direct.set(keys.channels('fs1'), '3');
    await h.refresh();
    expect(h.isEslUp('fs1')).toBe(true);
    expect(h.inFlightCalls('fs1')).toBe(3);
  });

  it('keeps a node up through a Redis outage and the key expiry, then demotes only after the grace', async () => {
    const h = new RedisNodeHealth(viaProxy, keys, { downGraceMs: 10_000, now: () => now });
    h.isEslUp('fs1');
    await direct.set(keys.eslUp('fs1'), '1');
    await h.refresh();
    expect(h.isEslUp('fs1')).toBe(true);

    await proxy.cut();
    await direct.del(keys.eslUp('fs1')); // the engine's key expires while Redis is away
    now += 30_000;
    await h.refresh();
    expect(h.isEslUp('fs1')).toBe(true); // last known state

    await proxy.restore();
    await waitFor(async () => (await viaProxy.ping().catch(() => '')) === 'PONG', { what: 'Redis back through the proxy' });
    await h.refresh(); // key missing, but the grace starts only now
    expect(h.isEslUp('fs1')).toBe(true);
    now += 9_000;
    await h.refresh();
    expect(h.isEslUp('fs1')).toBe(true);
    now += 2_000;
    await h.refresh();
    expect(h.isEslUp('fs1')).toBe(false); // missing past the grace: positive evidence

    await direct.set(keys.eslUp('fs1'), '1');
    await h.refresh();
    expect(h.isEslUp('fs1')).toBe(true);
  });
});
