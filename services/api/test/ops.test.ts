import { request } from 'node:http';
import { createDb } from '@switchyard/core';
import { createTestDatabase, sleep, startProcess, type TestDatabase, testRedisPrefix, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenRepository } from '../src/auth/token-repository.ts';
import { startTestApi, type TestApi } from './support/api-harness.ts';

function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').pop());
  }
  return total;
}

/** Starts a POST whose JSON body is sent in two halves; the request stays in flight until `finish()`. */
function slowPost(base: string, path: string, token: string, body: object) {
  const text = JSON.stringify(body);
  const url = new URL(path, base);
  let resolveRes!: (v: { status: number; body: string }) => void;
  const done = new Promise<{ status: number; body: string }>((r) => (resolveRes = r));
  const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
    let b = '';
    res.on('data', (c) => (b += c));
    res.on('end', () => resolveRes({ status: res.statusCode ?? 0, body: b }));
  });
  req.write(text.slice(0, 5));
  return { finish: () => req.end(text.slice(5)), done };
}

describe('ops paths in process', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('/metrics moves with traffic and shows the request in flight', async () => {
    const before = metricValue(await (await fetch(`${t.base}/metrics`)).text(), 'switchyard_http_requests_total', { route: '/v1/whoami', status: '200' });
    for (let i = 0; i < 3; i++) expect((await t.call('GET', '/v1/whoami', { token: t.tokens.analyst })).status).toBe(200);
    await t.call('GET', '/v1/whoami');
    const slow = slowPost(t.base, '/v1/tokens', t.tokens.admin, { name: 'slow', role: 'ops' });
    await waitFor(() => t.drain.inFlight === 1);
    const during = await (await fetch(`${t.base}/metrics`)).text();
    slow.finish();
    expect((await slow.done).status).toBe(201);
    expect(metricValue(during, 'switchyard_in_flight')).toBe(1);
    expect(metricValue(during, 'switchyard_http_requests_total', { route: '/v1/whoami', status: '200' })).toBe(before + 3);
    expect(metricValue(during, 'switchyard_http_requests_total', { route: '/v1/whoami', status: '401' })).toBe(1);
    expect(during).toContain('process_cpu_seconds_total');
  });

  it('/ready is 503 when a dependency is down and names it; /health stays 200', async () => {
    expect((await t.call('GET', '/ready')).status).toBe(200);
    const down = await startTestApi({ tdb: t.tdb });
    try {
      down.redis.disconnect();
      const ready = await down.call('GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.redis.ok).toBe(false);
      expect(ready.body.checks.postgres.ok).toBe(true);
      expect((await down.call('GET', '/health')).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('SIGTERM drain (child process)', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('flips readiness to 503 at once, keeps liveness 200, lets the in-flight request finish, then exits 0', async () => {
    const admin = (await new TokenRepository(tdb.db).create('drain-admin', 'admin', 'test')).token;
    const proc = startProcess(process.execPath, ['--import', 'tsx', 'services/api/src/main.ts'], {
      env: { ...process.env, DATABASE_URL: tdb.url, API_PORT: '0', REDIS_PREFIX: testRedisPrefix('drain'), LOG_LEVEL: 'warn', API_DRAIN_SECS: '20' },
    });
    try {
      await waitFor(() => /api listening on [\d.]+:\d+/.test(proc.output()), { timeoutMs: 30_000 });
      const port = /api listening on [\d.]+:(\d+)/.exec(proc.output())![1];
      const base = `http://127.0.0.1:${port}`;
      // Ready once Postgres and Redis answer.
      await waitFor(async () => (await fetch(`${base}/ready`)).status === 200, { timeoutMs: 10_000 });

      const slow = slowPost(base, '/v1/tokens', admin, { name: 'in-flight', role: 'ops' });
      await sleep(200);
      proc.child.kill('SIGTERM');
      await waitFor(async () => (await fetch(`${base}/ready`)).status === 503, { timeoutMs: 2_000 });
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ draining: true, inFlight: 1 });
      expect(proc.child.exitCode).toBeNull();

      slow.finish();
      const res = await slow.done;
      expect(res.status).toBe(201);
      expect(await proc.exited).toBe(0);
      const check = createDb(tdb.url, { max: 1 });
      try {
        const row = await check.selectFrom('api_tokens').select('name').where('name', '=', 'in-flight').executeTakeFirst();
        expect(row?.name).toBe('in-flight');
      } finally {
        await check.destroy();
      }
    } finally {
      await proc.stop();
    }
  });
});
