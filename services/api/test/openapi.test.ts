import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../src/openapi/openapi-document.ts';
import { startTestApi, type TestApi } from './support/api-harness.ts';
import { dialerLibrary } from './support/dialer-library.ts';
import { mountedSpecs } from './support/route-samples.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ ports: 'all', dialerLibrary: await dialerLibrary() });
});
afterAll(async () => {
  await t?.close();
});

/** method + path of every route Express actually has mounted. */
function mountedRoutes(): string[] {
  const express = t.api.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  const out: string[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push(`${m.toUpperCase()} ${openApiPath(layer.route.path)}`);
  }
  return out.sort();
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await t.call('GET', '/docs/openapi.json');
    expect(res.status).toBe(200);
    const v = new Validator();
    const result = await v.validate(res.body);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });

  it('lists exactly the routes the server mounts', async () => {
    const doc = (await t.call('GET', '/docs/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const mounted = mountedRoutes();
    expect(mounted.length).toBe(mountedSpecs(t.ports).length);
    expect(documented).toEqual(mounted);
  });

  it('carries request and response schemas from zod, and the roles', async () => {
    const doc = (await t.call('GET', '/docs/openapi.json')).body;
    const create = doc.paths['/v1/tokens'].post;
    expect(create.requestBody.content['application/json'].schema.properties.role.enum).toEqual(['admin', 'ops', 'campaign', 'analyst']);
    expect(create.responses['201'].content['application/json'].schema.required).toContain('token');
    expect(create['x-roles']).toEqual(['admin']);
    expect(create.responses['403'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const revoke = doc.paths['/v1/tokens/{id}'].delete;
    expect(revoke.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it('serves a human page at /docs listing the operations', async () => {
    const res = await t.call('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('/v1/tokens/{id}');
    expect(res.body).toContain('/docs/openapi.json');
  });
});
