import { rm } from 'node:fs/promises';
import { createTestDatabase, type TestDatabase } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetServices, type FleetServices, fleetConfigSchema, type KamailioProcess, parseDispatcherList } from '../src/index.ts';
import { FakeEngine, startEdge } from './helpers/edge-harness.ts';
import { runUac, type SippUas, startUas, tmpDir } from './helpers/sipp.ts';

// Start-up reconcile: rows written while Kamailio was not told are applied by start().
let t: TestDatabase;
let k: KamailioProcess;
let uas: SippUas;
let services: FleetServices | undefined;
let dir: string;

beforeAll(async () => {
  dir = await tmpDir('fsvc');
  t = await createTestDatabase();
  k = await startEdge(t.url);
  uas = await startUas(dir, 'node');
});

afterAll(async () => {
  await services?.stop();
  await uas?.stop();
  await k?.stop();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('createFleetServices', () => {
  it('reconciles Kamailio to Postgres at start-up', async () => {
    // Truth written behind Kamailio's back: an active node and an allow-listed caller.
    await t.db
      .insertInto('nodes')
      .values({ name: 'fs1', esl_host: '127.0.0.1', esl_port: 8021, sip_uri: uas.uri, state: 'active' })
      .execute();
    await t.db.insertInto('address').values({ grp: 1, ip_addr: '127.0.0.1', mask: 32, port: 0, tag: 'x' }).execute();
    const refused = await runUac(dir, { target: `127.0.0.1:${k.settings.sipPort}`, calls: 1, rate: 1, extra: ['-recv_timeout', '1500'] });
    expect(refused.successful).toBe(0);

    const engine = new FakeEngine();
    engine.eslUp.add('fs1');
    services = createFleetServices({ db: t.db, rpcUrl: k.rpc.url, esl: engine, calls: engine, tickMs: 500 });
    await services.start();
    const targets = parseDispatcherList(await k.rpc.call('dispatcher.list'));
    expect(targets).toMatchObject([{ setId: 1, uri: uas.uri, state: 'active' }]);
    const ok = await runUac(dir, { target: `127.0.0.1:${k.settings.sipPort}`, calls: 3, rate: 5 });
    expect(ok.failed, ok.output).toBe(0);
    expect(ok.successful).toBe(3);
    expect((await services.fleet.list())[0]).toMatchObject({ name: 'fs1', state: 'active', eslUp: true, sip: { state: 'active' } });
  });

  it('reads its settings from the environment, naming a bad variable', () => {
    expect(fleetConfigSchema.parse({}).KAMAILIO_RPC_URL).toBe('http://127.0.0.1:5089/RPC');
    expect(() => fleetConfigSchema.parse({ FLEET_TICK_MS: '5' })).toThrow(/FLEET_TICK_MS|too small|>=/);
  });
});
