import { fileURLToPath } from 'node:url';
import { createTestDatabase, freeTcpPort, freeUdpPort, type ManagedProcess, startProcess, waitFor } from '@switchyard/core/testing';
import { KamailioProcess } from '@switchyard/fleet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../api/test/support/api-harness.ts';
import { runCli } from './support/run-cli.ts';

// Live: a real Kamailio on our cfg, a SIPp UAS standing in for a FreeSWITCH node, the API
// in process (with the fleet ticker), and the real `switchyard` bin as a child process.
const UAS = fileURLToPath(new URL('../../../kamailio/sipp/uas.xml', import.meta.url));
let k: KamailioProcess;
let uas: ManagedProcess;
let uasPort: number;
let t: TestApi;
let env: Record<string, string>;

beforeAll(async () => {
  // The API needs Kamailio's RPC URL up front: start Kamailio on the test database first.
  const tdb = await createTestDatabase();
  k = await KamailioProcess.start({
    sipPort: await freeUdpPort(),
    rpcPort: await freeTcpPort(),
    dbUrl: tdb.url,
    shmMb: 64,
    children: 1,
    defines: { DS_PING_INTERVAL: 1, DS_PROBING_THRESHOLD: 1, FR_TIMER: 1000, LOG_LEVEL: 0, RELOAD_DELTA: 1 },
  });
  t = await startTestApi({ ports: 'all', tdb, kamailioRpcUrl: `http://127.0.0.1:${k.settings.rpcPort}/RPC` });
  uasPort = await freeUdpPort();
  uas = startProcess('/usr/bin/sipp', ['-sf', UAS, '-i', '127.0.0.1', '-p', String(uasPort), '-aa', '-nostdin']);
  env = { SWITCHYARD_API_URL: t.base, SWITCHYARD_TOKEN: '', DATABASE_URL: t.tdb.url };
});

afterAll(async () => {
  await t?.close();
  await uas?.stop();
  await k?.stop();
  await t?.tdb.drop();
});

describe('switchyard CLI against the API', () => {
  it('bootstraps an admin token straight into Postgres, then uses it', async () => {
    const made = await runCli(['token', 'create', '--name', 'bootstrap', '--role', 'admin', '--db', '--json'], env);
    expect(made.code, made.stderr).toBe(0);
    const token = JSON.parse(made.stdout).token as string;
    expect(token).toMatch(/^sy_/);
    env.SWITCHYARD_TOKEN = token;
    const me = await runCli(['whoami'], env);
    expect(me.stdout).toContain('bootstrap (admin');
    const anon = await runCli(['nodes', 'list'], { ...env, SWITCHYARD_TOKEN: '' });
    expect(anon.code).toBe(3);
    expect(anon.stderr).toContain('bearer token');
  });

  it('drives a node add → drain → remove, with meaningful exit codes', async () => {
    const sip = `sip:127.0.0.1:${uasPort}`;
    const add = await runCli(['nodes', 'add', 'fs1', '--esl', '127.0.0.1:8021', '--sip', sip, '--weight', '5', '--json'], env);
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ name: 'fs1', state: 'probing', weight: 5 });

    // The engine publishes ESL health and channel counts in Redis; here the test stands in for it.
    await t.redis.set(`${t.keys.rateLimit('').replace(/ratelimit:$/, '')}node:fs1:esl`, '1');
    await t.redis.set(t.keys.nodeChannels('fs1'), '1');
    await waitFor(async () => JSON.parse((await runCli(['nodes', 'show', 'fs1', '--json'], env)).stdout).state === 'active', {
      timeoutMs: 20_000,
      intervalMs: 500,
      what: 'fs1 active',
    });

    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metrics).toMatch(/^switchyard_edge_up\{[^}]*\} 1$/m);

    const list = await runCli(['nodes', 'list'], env);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+STATE\s+SIPURI/);
    expect(list.stdout).toMatch(/fs1\s+active\s+sip:127\.0\.0\.1/);

    const drain = await runCli(['nodes', 'drain', 'fs1', '--json'], env);
    expect(drain.code, drain.stderr).toBe(0);
    expect(JSON.parse(drain.stdout).state).toBe('draining');
    const disp = await t.tdb.db.selectFrom('dispatcher').selectAll().where('description', '=', 'fs1').executeTakeFirstOrThrow();
    expect(disp.flags).toBe(4); // Kamailio's table says: no new calls

    const again = await runCli(['nodes', 'resume', 'ghost'], env);
    expect(again.code).toBe(4);
    const bad = await runCli(['nodes', 'add', 'BAD NAME', '--esl', 'x:1', '--sip', 'nope'], env);
    expect(bad.code).toBe(6);
    expect(bad.stderr).toMatch(/body\.(name|sipUri)/);

    const removed = await runCli(['nodes', 'remove', 'fs1', '--json'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout).state).toBe('removed');
    expect(await t.tdb.db.selectFrom('dispatcher').selectAll().where('description', '=', 'fs1').execute()).toEqual([]);

    const audit = await t.call('GET', '/v1/audit?entity=node&entityId=fs1', { token: env.SWITCHYARD_TOKEN });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['node.remove', 'node.drain', 'node.add']);
  });

  it('edits the allow-list and bans, shows Pike, and refuses a role without the right', async () => {
    const ops = JSON.parse((await runCli(['token', 'create', '--name', 'noc', '--role', 'ops', '--json'], env)).stdout).token;
    const analyst = JSON.parse((await runCli(['token', 'create', '--name', 'bi', '--role', 'analyst', '--json'], env)).stdout).token;
    const add = await runCli(['allow', 'add', '203.0.113.0/24', '--tag', 'carrier-a', '--json'], { ...env, SWITCHYARD_TOKEN: ops });
    expect(add.code, add.stderr).toBe(0);
    const id = JSON.parse(add.stdout).id;
    const listed = await runCli(['allow', 'list'], { ...env, SWITCHYARD_TOKEN: ops });
    expect(listed.stdout).toMatch(/203\.0\.113\.0\/24\s+1\s+0\s+carrier-a/);
    const denied = await runCli(['allow', 'remove', String(id)], { ...env, SWITCHYARD_TOKEN: analyst });
    expect(denied.code).toBe(3);
    const removed = await runCli(['allow', 'remove', String(id)], { ...env, SWITCHYARD_TOKEN: ops });
    expect(removed.code).toBe(0);
    expect((await runCli(['allow', 'remove', String(id)], { ...env, SWITCHYARD_TOKEN: ops })).code).toBe(4);
    const ban = await runCli(['ban', '198.51.100.9', '--seconds', '60'], { ...env, SWITCHYARD_TOKEN: ops });
    expect(ban.code, ban.stderr).toBe(0);
    expect(ban.stdout).toBe('banned 198.51.100.9 for 60s\n');
    expect((await runCli(['ban', 'list'], { ...env, SWITCHYARD_TOKEN: ops })).stdout).toContain('198.51.100.9');
    expect((await runCli(['ban', 'remove', '198.51.100.9'], { ...env, SWITCHYARD_TOKEN: ops })).code).toBe(0);
    expect((await runCli(['ban', 'list', '--json'], { ...env, SWITCHYARD_TOKEN: ops })).stdout).not.toContain('198.51.100.9');
    expect((await runCli(['ban', 'not-an-ip'], { ...env, SWITCHYARD_TOKEN: ops })).code).toBe(6);
    const pike = await runCli(['pike', '--json'], { ...env, SWITCHYARD_TOKEN: ops });
    expect(pike.code, pike.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(pike.stdout))).toBe(true);
    const usage = await runCli(['allow', 'frobnicate'], env);
    expect(usage.code).toBe(2);
  });
});
