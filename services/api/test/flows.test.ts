import { PgFlowStore } from '@switchyard/ivr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The IVR library's own fixtures: a data flow as the API receives it, and its prompts.
import { fixtureCatalogue } from '../../ivr/test/fixtures/catalogue.ts';
import { dataFlowFixture } from '../../ivr/test/fixtures/data-flow.ts';
import { startTestApi, type TestApi } from './support/api-harness.ts';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ ports: 'all' });
  await new PgFlowStore(t.tdb.db).savePrompts(fixtureCatalogue);
});
afterAll(async () => {
  await t?.close();
});

describe('flows over HTTP', () => {
  it('lints, publishes a Postgres menu version (audited, idempotent), lists, graphs and simulates', async () => {
    const lint = await t.call('POST', '/v1/flows/lint', { token: t.tokens.campaign, body: dataFlowFixture() });
    expect(lint.status).toBe(200);
    expect(lint.body).toEqual({ ok: true, issues: [] });

    const pub = await t.call('POST', '/v1/flows', { token: t.tokens.campaign, body: dataFlowFixture() });
    expect(pub.status).toBe(201);
    expect(pub.body).toEqual({ flowId: 'data-main', version: 1, created: true });
    const again = await t.call('POST', '/v1/flows', { token: t.tokens.campaign, body: dataFlowFixture() });
    expect(again.body.created).toBe(false);
    const menus = await t.tdb.db.selectFrom('ivr_menus').select('menu_id').where('flow_id', '=', 'data-main').execute();
    expect(menus.length).toBe(3);

    const audit = await t.call('GET', '/v1/audit?entity=flow&entityId=data-main', { token: t.tokens.admin });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'flow.publish', before: null, after: { publishedVersion: 1 } });

    const list = await t.call('GET', '/v1/flows', { token: t.tokens.analyst });
    expect(list.body.items).toEqual([expect.objectContaining({ id: 'data-main', publishedVersion: 1 })]);

    const graph = await t.call('GET', '/v1/flows/data-main/graph', { token: t.tokens.ops });
    expect(graph.status).toBe(200);
    expect(graph.body.mermaid).toMatch(/^stateDiagram/);

    const sim = await t.call('POST', '/v1/flows/data-main/simulate', { token: t.tokens.campaign, body: { script: 'wait 500ms; press 2; wait 1s; press 1' } });
    expect(sim.status).toBe(200);
    expect(sim.body.disposition).toBe('info-played');
    expect(sim.body.transcript.length).toBeGreaterThan(0);
  });

  it('answers an invalid flow with field-level 400s, a lint failure with 422, an unknown flow with 404', async () => {
    const invalid = await t.call('POST', '/v1/flows', { token: t.tokens.admin, body: { ...dataFlowFixture(), id: 'bad-one', entry: 'nowhere' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.length).toBeGreaterThan(0);
    expect(invalid.body.error.fields[0].path).toMatch(/^body/);

    const noZero = dataFlowFixture();
    noZero.id = 'bad-two';
    noZero.menus[1]!.options = noZero.menus[1]!.options.filter((o) => o.digits !== '0');
    const lint = await t.call('POST', '/v1/flows/lint', { token: t.tokens.admin, body: noZero });
    expect(lint.body.ok).toBe(false);
    expect(lint.body.issues.map((i: { rule: string }) => i.rule)).toContain('zero-to-agent');
    const pub = await t.call('POST', '/v1/flows', { token: t.tokens.admin, body: noZero });
    expect(pub.status).toBe(422);
    expect(pub.body.error.code).toBe('flow_lint_failed');

    expect((await t.call('GET', '/v1/flows/ghost/graph', { token: t.tokens.admin })).status).toBe(404);
  });
});
