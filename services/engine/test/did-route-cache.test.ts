import { createRedis, redisReady } from '@switchyard/core';
import { createTestDatabase, type TestDatabase, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineKeys } from '../src/ownership/engine-keys.ts';
import { DidRouteCache } from '../src/routing/did-route-cache.ts';

let tdb: TestDatabase;
let sub: Redis;
let pub: Redis;
const keys = engineKeys(testRedisPrefix('routes'));

beforeAll(async () => {
  tdb = await createTestDatabase();
  sub = createRedis(testRedisUrl());
  pub = createRedis(testRedisUrl());
  await Promise.all([redisReady(sub), redisReady(pub)]);
  await tdb.db.insertInto('ivr_flows').values([{ id: 'main', name: 'Main' }, { id: 'sales', name: 'Sales' }]).execute();
});
afterAll(async () => {
  sub.disconnect();
  pub.disconnect();
  await tdb.drop();
});

describe('DidRouteCache', () => {
  it('serves routes from memory and reloads on a pub/sub notice', async () => {
    await tdb.db.insertInto('did_routes').values({ did: '+15550100', flow_id: 'main', flavour: 'inbound' }).execute();
    const cache = new DidRouteCache({ db: tdb.db, subscriber: sub, channel: keys.routesChanged() });
    await cache.start();
    expect(cache.lookup('15550100')).toEqual({ did: '+15550100', flowId: 'main', flavour: 'inbound' });
    expect(cache.lookup('15550199')).toBeUndefined();

    await tdb.db
      .insertInto('did_routes')
      .values([
        { did: '15550199', flow_id: 'sales', flavour: 'outbound' },
        { did: '15550177', flow_id: 'sales', flavour: 'inbound', enabled: false },
      ])
      .execute();
    // No notice yet: the cache does not go to the database per lookup.
    expect(cache.lookup('15550199')).toBeUndefined();
    const before = cache.loads;
    await pub.publish(keys.routesChanged(), 'did_routes');
    await waitFor(() => cache.loads > before, { what: 'reload' });
    expect(cache.lookup('+1-555-0199')?.flavour).toBe('outbound');
    expect(cache.lookup('15550177')).toBeUndefined();
    expect(cache.resolve('999')).toBeUndefined();
    await tdb.db.insertInto('did_routes').values({ did: 'default', flow_id: 'main', flavour: 'inbound' }).execute();
    const n = cache.loads;
    await pub.publish(keys.routesChanged(), 'did_routes');
    await waitFor(() => cache.loads > n, { what: 'reload' });
    expect(cache.resolve('999')?.flowId).toBe('main');
    cache.stop();
  });
});
