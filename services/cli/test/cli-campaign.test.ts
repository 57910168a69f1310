import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgFlowStore } from '@switchyard/ivr';
import { fixtureCatalogue } from '../../ivr/test/fixtures/catalogue.ts';
import { dataFlowFixture } from '../../ivr/test/fixtures/data-flow.ts';
import { startTestApi, type TestApi } from '../../api/test/support/api-harness.ts';
import { dialerLibrary } from '../../api/test/support/dialer-library.ts';
import { runCli } from './support/run-cli.ts';

let t: TestApi;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  t = await startTestApi({ ports: 'all', dialerLibrary: await dialerLibrary() });
  env = { SWITCHYARD_API_URL: t.base, SWITCHYARD_TOKEN: t.tokens.campaign };
  dir = await mkdtemp(path.join(os.tmpdir(), 'sy-cli-'));
  // A campaign runs a published flow.
  const store = new PgFlowStore(t.tdb.db);
  await store.savePrompts(fixtureCatalogue);
  await store.publish(dataFlowFixture(), fixtureCatalogue);
});
afterAll(async () => {
  await t?.close();
});

describe('switchyard campaign against the API', () => {
  it('drives create → import (with its error report) → start → status', async () => {
    const created = await runCli(
      ['campaign', 'create', '--name', 'renewals', '--flow', 'data-main', '--caller-id', '+442071234567', '--gateway', 'gw1', '--prefix', '+44', '--max-cps', '2', '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const c = JSON.parse(created.stdout);
    const ghost = await runCli(['campaign', 'create', '--name', 'x', '--flow', 'no-such-flow', '--caller-id', '+442071234567', '--gateway', 'gw1', '--prefix', '+44'], env);
    expect(ghost.code).toBe(5);
    expect(ghost.stderr).toContain('no-such-flow');
    const invalid = await runCli(['campaign', 'create', '--name', 'x', '--flow', 'data-main', '--caller-id', 'abc', '--gateway', 'gw1', '--prefix', '+44'], env);
    expect(invalid.code).toBe(6);
    expect(invalid.stderr).toContain('body.callerId: caller ID must be digits');
    expect(c.state).toBe('draft');

    const rows = ['phone,name', ...Array.from({ length: 200 }, (_, i) => `020 7946 ${String(i).padStart(4, '0')},n${i}`), 'not-a-number,bad'];
    const csv = path.join(dir, 'contacts.csv');
    await writeFile(csv, `${rows.join('\n')}\n`);
    const imp = await runCli(['campaign', 'import', c.id, csv, '--country', 'GB'], env);
    expect(imp.code).toBe(1); // some rows were rejected
    expect(imp.stderr).toContain('import 100%');
    expect(imp.stdout).toMatch(/imported \d+ of 201 rows \(\d+ rejected\)/);
    expect(imp.stdout).toContain('bad_number');

    const start = await runCli(['campaign', 'start', c.id, '--json'], env);
    expect(start.code, start.stderr).toBe(0);
    expect(JSON.parse(start.stdout).state).toBe('running');
    expect((await runCli(['campaign', 'start', c.id], env)).code).toBe(5); // already running: conflict

    const status = await runCli(['campaign', 'status', c.id, '--json'], env);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.campaign.state).toBe('running');
    expect(s.progress.pending).toBeGreaterThan(0);
    // A running dialer publishes live figures in Redis; status shows them.
    // It refreshes them every second (older than 3 s means a dead dialer); so does this stand-in
    // while the CLI, which can take seconds to start on a loaded machine, runs.
    const publish = () => t.redis.hset(t.keys.campaignProgress(c.id), 'dialer-a', JSON.stringify({ inFlight: 3, ratePerSec: 1.5, abandonFactor: 1, at: Date.now() }));
    await publish();
    const refresh = setInterval(() => void publish(), 500);
    const liveStatus = JSON.parse((await runCli(['campaign', 'status', c.id, '--json'], env).finally(() => clearInterval(refresh))).stdout);
    expect(liveStatus.progress).toMatchObject({ inFlight: 3, ratePerSec: 1.5, dialers: 1 });

    // Live progress over SSE: the first event is the current state.
    const ac = new AbortController();
    const live = await fetch(`${t.base}/v1/campaigns/${c.id}/progress/stream`, { headers: { authorization: `Bearer ${t.tokens.analyst}` }, signal: ac.signal });
    const first = new TextDecoder().decode((await live.body!.getReader().read()).value);
    ac.abort();
    expect(first).toMatch(/^event: progress\ndata: \{.*"state":"running"/);

    const audit = await t.call('GET', `/v1/audit?entity=campaign&entityId=${c.id}`, { token: t.tokens.admin });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['campaign.start', 'campaign.import', 'campaign.create']);
    const denied = await runCli(['campaign', 'pause', c.id], { ...env, SWITCHYARD_TOKEN: t.tokens.analyst });
    expect(denied.code).toBe(3);
  });
});
