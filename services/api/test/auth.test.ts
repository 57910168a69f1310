import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, PUBLIC } from '../src/auth/permission-matrix.ts';
import { ROLES } from '../src/auth/roles.ts';
import { startTestApi, type TestApi } from './support/api-harness.ts';
import { dialerLibrary } from './support/dialer-library.ts';
import { mountedSpecs, samplePath } from './support/route-samples.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ ports: 'all', dialerLibrary: await dialerLibrary() });
});
afterAll(async () => {
  await t?.close();
});

describe('role matrix, route by route', () => {
  it('covers every mounted route: 401 without a token, 403 for each wrong role, through for each allowed role', async () => {
    const specs = mountedSpecs(t.ports);
    // Every permission id has exactly one route, and every route is in the matrix.
    expect(specs.map((s) => s.id).sort()).toEqual(Object.keys(PERMISSIONS).sort());
    for (const spec of specs) {
      const path = samplePath(spec);
      const allowed = PERMISSIONS[spec.id];
      const anon = await t.call(spec.method, path, { body: spec.body ? {} : undefined });
      if (allowed === PUBLIC) {
        expect(anon.status, `${spec.id} public`).toBe(200);
        continue;
      }
      expect(anon.status, `${spec.id} without token`).toBe(401);
      expect(anon.body.error.code).toBe('unauthorized');
      for (const role of ROLES) {
        const res = await t.call(spec.method, path, { token: t.tokens[role], body: spec.body ? {} : undefined });
        if ((allowed as readonly string[]).includes(role)) {
          expect([401, 403], `${spec.id} as ${role} should pass auth (got ${res.status})`).not.toContain(res.status);
        } else {
          expect(res.status, `${spec.id} as ${role}`).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        }
      }
    }
  });

  it('rejects an unknown token and a malformed header with 401', async () => {
    expect((await t.call('GET', '/v1/whoami', { token: 'sy_not-a-real-token' })).status).toBe(401);
    const res = await t.call('GET', '/v1/whoami', { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('tokens', () => {
  it('shows a new token once, stores only its hash, and a revoked token stops working', async () => {
    const created = await t.call('POST', '/v1/tokens', { token: t.tokens.admin, body: { name: 'ci', role: 'analyst' } });
    expect(created.status).toBe(201);
    const clear: string = created.body.token;
    expect(clear).toMatch(/^sy_/);
    const row = await t.tdb.db.selectFrom('api_tokens').selectAll().where('id', '=', created.body.tokenInfo.id).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(clear);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await t.call('GET', '/v1/tokens', { token: t.tokens.admin });
    expect(JSON.stringify(listed.body)).not.toContain(clear);

    const me = await t.call('GET', '/v1/whoami', { token: clear });
    expect(me.body).toEqual({ tokenId: created.body.tokenInfo.id, name: 'ci', role: 'analyst' });
    const revoked = await t.call('DELETE', `/v1/tokens/${created.body.tokenInfo.id}`, { token: t.tokens.admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await t.call('GET', '/v1/whoami', { token: clear })).status).toBe(401);
  });

  it('answers bad input with field-level messages in the one error shape', async () => {
    const res = await t.call('POST', '/v1/tokens', { token: t.tokens.admin, body: { name: '', role: 'root' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['body.name', 'body.role']);
    const badJson = await t.call('POST', '/v1/tokens', { token: t.tokens.admin, body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('bad_request');
    const unknown = await t.call('GET', '/v1/nowhere', { token: t.tokens.admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('paginates with an opaque cursor and refuses a tampered one', async () => {
    for (let i = 0; i < 5; i++) await t.call('POST', '/v1/tokens', { token: t.tokens.admin, body: { name: `p${i}`, role: 'ops' } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page = await t.call('GET', `/v1/tokens?limit=3${q}`, { token: t.tokens.admin });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const total = await t.tdb.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(seen.length).toBe(Number(total.n));
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await t.call('GET', '/v1/tokens?cursor=zzz', { token: t.tokens.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('query.cursor');
  });
});

describe('audit log', () => {
  it('records who changed what, when, with before and after', async () => {
    const created = await t.call('POST', '/v1/tokens', { token: t.tokens.admin, body: { name: 'audited', role: 'campaign' } });
    const id = created.body.tokenInfo.id;
    await t.call('DELETE', `/v1/tokens/${id}`, { token: t.tokens.admin });
    const log = await t.call('GET', `/v1/audit?entity=api_token&entityId=${id}`, { token: t.tokens.ops });
    expect(log.status).toBe(200);
    const [revoke, create] = log.body.items;
    expect(create.action).toBe('token.create');
    expect(create.actor).toMatch(/^token:\d+:test-admin$/);
    expect(create.before).toBeNull();
    expect(create.after.name).toBe('audited');
    expect(revoke.action).toBe('token.revoke');
    expect(revoke.before.revokedAt).toBeNull();
    expect(revoke.after.revokedAt).not.toBeNull();
    expect(Date.parse(revoke.at)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('rate limit per token (Redis)', () => {
  it('answers 429 with Retry-After past the limit, per token', async () => {
    const limited = await startTestApi({ rateLimit: { perWindow: 3, windowMs: 30_000 }, tdb: t.tdb });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.call('GET', '/v1/whoami', { token: limited.tokens.ops })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const res = await limited.call('GET', '/v1/whoami', { token: limited.tokens.ops });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.body.error.code).toBe('rate_limited');
      // Another token has its own window.
      expect((await limited.call('GET', '/v1/whoami', { token: limited.tokens.analyst })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
