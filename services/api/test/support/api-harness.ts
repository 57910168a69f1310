import 'reflect-metadata';
import { createLogger, createMetricsRegistry, createRedis, type Redis, redisKeys, type Registry } from '@switchyard/core';
import { DrainController, pingCheck } from '@switchyard/core/http';
import { createTestDatabase, type TestDatabase, testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import { sql } from 'kysely';
import type { ApiPorts } from '../../src/app/api-ports.ts';
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
  /** One token per role (clear values). */
  tokens: Record<Role, string>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are inspected loosely in tests
  call(method: string, path: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestApi(opts: { ports?: (tdb: TestDatabase) => ApiPorts; rateLimit?: { perWindow: number; windowMs: number }; tdb?: TestDatabase } = {}): Promise<TestApi> {
  const tdb = opts.tdb ?? (await createTestDatabase());
  const redis = createRedis(testRedisUrl());
  const keys = redisKeys(testRedisPrefix('api'));
  const registry = createMetricsRegistry('api-test');
  const drain = new DrainController();
  const api = await createApiApp({
    db: tdb.db,
    redis,
    rateLimitKey: keys.rateLimit,
    log: createLogger('api-test', 'silent'),
    registry,
    drain,
    checks: [pingCheck('postgres', () => sql`select 1`.execute(tdb.db)), pingCheck('redis', () => redis.ping())],
    ports: opts.ports?.(tdb) ?? {},
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
    tokens,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= typeof o.body === 'string' ? 'text/csv' : 'application/json';
      }
      const res = await fetch(base + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json')) parsed = text ? JSON.parse(text) : null;
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await api.close();
      redis.disconnect();
      if (!opts.tdb) await tdb.drop();
    },
  };
}
