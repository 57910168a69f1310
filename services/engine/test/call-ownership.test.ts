import { createRedis, redisReady } from '@switchyard/core';
import { testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallOwnership } from '../src/ownership/call-ownership.ts';
import { engineKeys } from '../src/ownership/engine-keys.ts';

let redis: Redis;
const keys = engineKeys(testRedisPrefix('own'));

beforeAll(async () => {
  redis = createRedis(testRedisUrl());
  await redisReady(redis);
});
afterAll(() => redis.disconnect());

const make = (engineId: string, leaseMs = 300) =>
  new CallOwnership({ redis, keys, engineId, leaseMs, snapshotTtlSecs: 60 });

describe('CallOwnership', () => {
  it('lets exactly one of several engines claim a call, even when racing', async () => {
    const engines = ['a', 'b', 'c', 'd'].map((id) => make(id));
    await Promise.all(engines.map((e) => e.renewLease()));
    const uuid = randomUUID();
    const wins = await Promise.all(engines.map((e) => e.claim(uuid, 'fs1', true)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = engines[wins.indexOf(true)] as CallOwnership;
    expect(await winner.owner(uuid)).toBe(winner.engineId);
    expect((await winner.channelCounts('fs1')).node).toBe(1);
    expect(await winner.claim(uuid, 'fs1', true)).toBe(true); // re-claim by the owner is a no-op
    expect((await winner.channelCounts('fs1')).node).toBe(1);
    const loser = engines.find((e) => e !== winner) as CallOwnership;
    expect(await loser.release(uuid, 'fs1')).toBe(false);
    expect(await winner.release(uuid, 'fs1')).toBe(true);
    expect(await winner.release(uuid, 'fs1')).toBe(false);
    expect(await winner.channelCounts('fs1')).toEqual({ node: 0, global: 0 });
  });

  it('hands a call over only after its owner stopped renewing the lease', async () => {
    const dead = make('dead');
    const live = make('live');
    await dead.renewLease();
    await live.renewLease();
    const uuid = randomUUID();
    expect(await dead.claim(uuid, 'fs2', true)).toBe(true);
    await dead.saveSnapshot({
      callId: uuid,
      node: 'fs2',
      flavour: 'inbound',
      direction: 'inbound',
      from: '100',
      to: '200',
      flowId: 'main',
      flowVersion: 1,
      startedAt: Date.now(),
      state: 'menu',
      answered: true,
      seq: 7,
    });
    expect(await live.claim(uuid, 'fs2', false)).toBe(false); // lease still fresh
    await new Promise((r) => setTimeout(r, 400));
    await live.renewLease();
    expect(await live.lapsedEngines()).toContain('dead');
    expect(await live.callsOf('dead')).toEqual([uuid]);
    expect(await live.claim(uuid, 'fs2', false)).toBe(true);
    expect((await live.loadSnapshot(uuid))?.seq).toBe(7);
    await live.disown('dead', uuid);
    await live.forgetEngine('dead');
    expect(await live.lapsedEngines()).not.toContain('dead');
    expect((await live.channelCounts('fs2')).node).toBe(1); // a takeover does not count twice
    expect(await live.release(uuid, 'fs2')).toBe(true);
    expect(await live.loadSnapshot(uuid)).toBeUndefined();
  });

  it('claims and releases many calls of one turn in one batch, each with its own result', async () => {
    const a = make('batch-a');
    const b = make('batch-b');
    await Promise.all([a.renewLease(), b.renewLease()]);
    const uuids = Array.from({ length: 5 }, () => randomUUID());
    expect(await b.claim(uuids[0] as string, 'fs3', true)).toBe(true); // owned by a live peer
    const wins = await Promise.all(uuids.map((u) => a.claim(u, 'fs3', true)));
    expect(wins).toEqual([false, true, true, true, true]);
    expect((await a.channelCounts('fs3')).node).toBe(5);
    await a.saveSnapshots(uuids.slice(1).map((u, i) => ({ ...snap(u), seq: i })));
    expect((await a.loadSnapshot(uuids[3] as string))?.seq).toBe(2);
    const released = await Promise.all(uuids.map((u) => a.release(u, 'fs3')));
    expect(released).toEqual([false, true, true, true, true]);
    expect(await a.loadSnapshot(uuids[3] as string)).toBeUndefined();
    expect((await a.channelCounts('fs3')).node).toBe(1);
    expect(await b.release(uuids[0] as string, 'fs3')).toBe(true);
    expect((await a.channelCounts('fs3')).node).toBe(0);
  });
});

function snap(callId: string) {
  return { callId, node: 'fs3', flavour: 'inbound', direction: 'inbound', from: '1', to: '2', flowId: 'f', flowVersion: 1, startedAt: Date.now(), state: 's', answered: true, seq: 0 } as const;
}
