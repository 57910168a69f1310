import { createTestDatabase, type TestDatabase } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataFlowValidationError,
  FlowLintError,
  FlowNotFoundError,
  PgFlowStore,
  simulateFlow,
} from '../src/index.ts';
import { fixtureCatalogue } from './fixtures/catalogue.ts';
import { dataFlowFixture } from './fixtures/data-flow.ts';

let tdb: TestDatabase;
let store: PgFlowStore;

beforeAll(async () => {
  tdb = await createTestDatabase();
  store = new PgFlowStore(tdb.db);
});
afterAll(async () => {
  await tdb?.drop();
});

describe('PgFlowStore', () => {
  it('stores the prompt catalogue', async () => {
    await store.savePrompts(fixtureCatalogue);
    await store.savePrompts({ bye: { file: 'ivr/bye-v2.wav', durationMs: 1200 } });
    const cat = await store.loadCatalogue();
    expect(Object.keys(cat).sort()).toEqual(Object.keys(fixtureCatalogue).sort());
    expect(cat.bye).toEqual({ file: 'ivr/bye-v2.wav', durationMs: 1200 });
  });

  it('publishes a menu tree as rows and loads it back; republishing the same is a no-op', async () => {
    const v1 = await store.publish(dataFlowFixture(), fixtureCatalogue, 'tester');
    expect(v1).toEqual({ flowId: 'data-main', version: 1, created: true });
    const menus = await tdb.db.selectFrom('ivr_menus').select(['menu_id', 'parent_menu_id']).where('flow_id', '=', 'data-main').orderBy('menu_id').execute();
    expect(menus).toEqual([
      { menu_id: 'main', parent_menu_id: null },
      { menu_id: 'optout', parent_menu_id: 'main' },
      { menu_id: 'sub', parent_menu_id: 'main' },
    ]);
    const options = await tdb.db.selectFrom('ivr_menu_options').select((eb) => eb.fn.countAll().as('n')).where('flow_id', '=', 'data-main').executeTakeFirst();
    expect(Number(options?.n)).toBe(10);
    const flow = await store.loadPublished('data-main', fixtureCatalogue);
    expect(flow.version).toBe(1);
    const r = await simulateFlow(flow, { script: 'wait 500ms; press 2; wait 1s; press 1' });
    expect(r.outcome.disposition).toBe('info-played');
    expect(await store.publish(dataFlowFixture(), fixtureCatalogue)).toEqual({ flowId: 'data-main', version: 1, created: false });
  });

  it('a version published mid-call does not change that call; new calls get it', async () => {
    const before = await store.loadPublished('data-main', fixtureCatalogue);
    let published: { version: number } | null = null;
    const midCall = await simulateFlow(before, {
      script: 'wait 3s; press 1',
      // While the caller is listening to the main menu, an operator publishes v2.
      onScriptStep: async (step) => {
        if (step.op === 'press') published = await store.publish(dataFlowFixture({ salesQueue: 'sales-v2' }), fixtureCatalogue);
      },
    });
    expect(published).toMatchObject({ version: before.version + 1 });
    expect(midCall.outcome).toMatchObject({ flowVersion: before.version, transfer: { kind: 'queue', queue: 'sales' } });
    expect(midCall.steps.every((s) => s.flowVersion === before.version)).toBe(true);

    const after = await store.loadPublished('data-main', fixtureCatalogue);
    const next = await simulateFlow(after, { script: 'wait 3s; press 1' });
    expect(next.outcome).toMatchObject({ flowVersion: before.version + 1, transfer: { kind: 'queue', queue: 'sales-v2' } });

    const rows = await tdb.db.selectFrom('ivr_flow_versions').select(['version', 'status']).where('flow_id', '=', 'data-main').orderBy('version').execute();
    expect(rows).toEqual([
      { version: 1, status: 'retired' },
      { version: 2, status: 'published' },
    ]);
    // The old version is still loadable as it was.
    const old = await store.loadVersion('data-main', 1, fixtureCatalogue);
    expect((await simulateFlow(old, { script: 'wait 3s; press 1' })).outcome.transfer).toEqual({ kind: 'queue', queue: 'sales' });
  });

  it('rejects invalid and lint-failing flows at publish time, writing nothing', async () => {
    const invalid = { ...dataFlowFixture(), id: 'bad-one', entry: 'nowhere' };
    await expect(store.publish(invalid, fixtureCatalogue)).rejects.toBeInstanceOf(DataFlowValidationError);
    const noZero = dataFlowFixture();
    noZero.id = 'bad-two';
    noZero.menus[1]!.options = noZero.menus[1]!.options.filter((o) => o.digits !== '0');
    const err = await store.publish(noZero, fixtureCatalogue).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowLintError);
    expect((err as FlowLintError).message).toContain('flow bad-two, state "sub": [zero-to-agent]');
    const flows = await tdb.db.selectFrom('ivr_flows').select('id').where('id', 'in', ['bad-one', 'bad-two']).execute();
    expect(flows).toEqual([]);
  });

  it('concurrent publishes get distinct, ordered versions and the pointer ends on the last', async () => {
    const queues = ['q1', 'q2', 'q3', 'q4'];
    const results = await Promise.all(queues.map((q) => store.publish({ ...dataFlowFixture({ salesQueue: q }), id: 'racy' }, fixtureCatalogue)));
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
    const head = await tdb.db.selectFrom('ivr_flows').select('published_version').where('id', '=', 'racy').executeTakeFirstOrThrow();
    expect(head.published_version).toBe(4);
    const live = await tdb.db.selectFrom('ivr_flow_versions').select('version').where('flow_id', '=', 'racy').where('status', '=', 'published').execute();
    expect(live).toEqual([{ version: 4 }]);
  });

  it('missing flows and versions say so', async () => {
    await expect(store.loadPublished('ghost', fixtureCatalogue)).rejects.toBeInstanceOf(FlowNotFoundError);
    await expect(store.loadVersion('data-main', 99, fixtureCatalogue)).rejects.toThrow(/data-main" version 99 does not exist/);
  });
});
