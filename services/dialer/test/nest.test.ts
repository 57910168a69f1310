import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@switchyard/core';
import { createTestDatabase, type TestDatabase, testRedisPrefix, testRedisUrl, waitFor } from '@switchyard/core/testing';
import { type FsSim, startFsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import { dialerConfigSchema } from '../src/dialer-config.ts';
import type { DialerService } from '../src/dialer-service.ts';
import { buildDialer, DIALER_SERVICE, DialerModule } from '../src/nest/dialer-module.ts';
import { seedFlow } from './helpers.ts';

let t: TestDatabase;
let sim: FsSim;
let app: INestApplicationContext;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  sim = await startFsSim({ heartbeatMs: 0, sipPort: false });
  await t.db.insertInto('nodes').values({ name: 'fs0', esl_host: '127.0.0.1', esl_port: sim.eslPort, sip_uri: 'sip:127.0.0.1:5060', state: 'active' }).execute();
  dir = mkdtempSync(path.join(tmpdir(), 'sy-dialer-nest-'));
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('dialer module', () => {
  it('refuses a bad config with the variable named', () => {
    expect(() => loadConfig(dialerConfigSchema, { DIALER_TRUNK_CPS: 'gw1=fast' })).toThrow(ConfigError);
    expect(() => loadConfig(dialerConfigSchema, {})).toThrow(/DIALER_ESL_PASSWORD/);
    // The stock password is refused outside dev mode, even when set explicitly.
    expect(() => loadConfig(dialerConfigSchema, { DIALER_ESL_PASSWORD: 'ClueCon' })).toThrow(/DIALER_ESL_PASSWORD: the well-known default/);
    expect(loadConfig(dialerConfigSchema, { DIALER_ESL_PASSWORD: 'ClueCon', SWITCHYARD_DEV: '1' }).DIALER_ESL_PASSWORD).toBe('ClueCon');
    expect(loadConfig(dialerConfigSchema, { DIALER_ESL_PASSWORD: 's3cret-esl' }).DIALER_ESL_PASSWORD).toBe('s3cret-esl');
  });

  it('boots under Nest, imports, runs a campaign to completion over ESL, and reports progress', async () => {
    const cfg = loadConfig(dialerConfigSchema, {
      DATABASE_URL: t.url,
      REDIS_URL: testRedisUrl(),
      SWITCHYARD_DEV: '1',
      SWITCHYARD_DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      DIALER_ID: 'nest-1',
      DIALER_REDIS_PREFIX: testRedisPrefix('dialer'),
      DIALER_DIAL_STRING: 'sim/answer/20',
      DIALER_ORIGINATE_APP: '&hangup()',
      DIALER_HANDOFF: 'none', // no engine here: an answered call counts as connected
      DIALER_ORIGINATE_TIMEOUT_SEC: '5',
    });
    app = await NestFactory.createApplicationContext(DialerModule.forRoot(buildDialer(cfg)), { logger: false });
    const d = app.get<DialerService>(DIALER_SERVICE);
    const flowId = await seedFlow(t);
    const c = await d.create({ name: 'nest', flowId, callerId: '+442071234567', gateway: 'gw1', allowedPrefixes: ['+44'], maxCps: 50 }, 'alice');
    const sum = await d.importContacts(c.id, ['phone\n', '+447911000001\n+447911000002\nbogus\n+33142685300\n']);
    expect(sum).toMatchObject({ imported: 3, failed: 1 });
    await d.dncAdd('+447911000002', { source: 'ivr', reason: 'opt-out' });
    await d.start(c.id, 'alice');
    await waitFor(async () => (await d.get(c.id)).state === 'completed', { timeoutMs: 15_000 });
    const p = await d.progress(c.id);
    expect(p).toMatchObject({ answered: 1, dncSkipped: 1, prefixRefused: 1, pending: 0, dialling: 0 });
    const lines: string[] = [];
    for await (const l of d.importErrors(sum.importId)) lines.push(l);
    expect(lines[1]).toMatch(/^3,bogus,bad_number/);
  });
});
