import 'reflect-metadata';
import { createLogger, createMetricsRegistry, createRedis, type Redis, redisKeys, type Registry, redisReady } from '@switchyard/core';
import { DrainController, pingCheck } from '@switchyard/core/http';
import { createTestDatabase, type TestDatabase, testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import { sql } from 'kysely';
import type { ApiPorts } from '../../src/app/api-ports.ts';
import { type BuiltPorts, buildPorts } from '../../src/app/build-ports.ts';
import { type ApiApp, createApiApp } from '../../src/app/create-api-app.ts';
import type { Role } from '../../src/auth/roles.ts';
import { TokenRepository } from '../../src/auth/token-repository.ts';

/** A running API on a free loopback port over a fresh database and a Redis prefix of its own. */
export interface TestApi {
  api: ApiApp;
  base: string;
  tdb: TestDatabase;
  redis: Redis;
  registry: Registry;
  drain: DrainController;
  keys: ReturnType<typeof redisKeys>;
  ports: ApiPorts;
  /** One token per role (clear values). */
  tokens: Record<Role, string>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are inspected loosely in tests
  call(method: string, path: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestApi(opts: { ports?: 'all' | ((tdb: TestDatabase) => ApiPorts); dialerLibrary?: Record<string, unknown>; kamailioRpcUrl?: string; rateLimit?: { perWindow: number; windowMs: number }; tdb?: TestDatabase } = {}): Promise<TestApi> {
  const tdb = opts.tdb ?? (await createTestDatabase());
  const redis = createRedis(testRedisUrl());
  redis.on('error', () => {}); // tests take Redis away on purpose
  await redisReady(redis); // no offline queue: commands fail until connected
  const keys = redisKeys(testRedisPrefix('api'));
  const drain = new DrainController();
  const registry = createMetricsRegistry('api-test');
  const prefix = keys.rateLimit('').replace(/ratelimit:$/, '');
  let built: BuiltPorts | undefined;
  let ports: ApiPorts = {};
  if (opts.ports === 'all') {
    built = await buildPorts({
      db: tdb.db,
      redis,
      newRedis: () => createRedis(testRedisUrl()),
      keys,
      redisPrefix: prefix,
      log: createLogger('api-test', process.env.API_TEST_LOG ?? 'silent'),
      // Nothing listens on port 9 of loopback: Kamailio "away" unless a test brings one.
      kamailioRpcUrl: opts.kamailioRpcUrl ?? 'http://127.0.0.1:9/RPC',
      kamailioRetryMs: opts.kamailioRpcUrl ? 4_000 : 0,
      fleetTickMs: opts.kamailioRpcUrl ? 300 : 0,
      healthRefreshMs: 200,
      registry,
      dialerLibrary: opts.dialerLibrary,
    });
    ports = built.ports;
  } else if (opts.ports) ports = opts.ports(tdb);
  const api = await createApiApp({
    db: tdb.db,
    redis,
    rateLimitKey: keys.rateLimit,
    log: createLogger('api-test', process.env.API_TEST_LOG ?? 'silent'),
    registry,
    drain,
    checks: [pingCheck('postgres', () => sql`select 1`.execute(tdb.db)), pingCheck('redis', () => redis.ping())],
    ports,
    rateLimit: opts.rateLimit,
  });
  const port = await api.listen(0);
  const base = `http://127.0.0.1:${port}`;
  const repo = new TokenRepository(tdb.db);
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'ops', 'campaign', 'analyst'] as const) {
    tokens[role] = (await repo.create(`test-${role}`, role, 'test')).token;
  }
  return {
    api,
    base,
    tdb,
    redis,
    registry,
    drain,
    keys,
    ports,
    tokens,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= typeof o.body === 'string' ? 'text/csv' : 'application/json';
      }
      const ac = new AbortController();
      const res = await fetch(base + path, { method, headers, body, signal: ac.signal });
      if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        // A live stream never ends on its own: take the status and leave.
        ac.abort();
        return { status: res.status, body: null, headers: res.headers };
      }
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json')) parsed = text ? JSON.parse(text) : null;
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      drain.begin(); // ends live streams, as a real shutdown does
      await api.close();
      await built?.stop();
      redis.disconnect();
      if (!opts.tdb) await tdb.drop();
    },
  };
}
