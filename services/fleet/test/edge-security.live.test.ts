import { rm } from 'node:fs/promises';
import dgram from 'node:dgram';
import { Registry } from '@switchyard/core';
import { createTestDatabase, sleep, type TestDatabase, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowList, asFleetDb, FleetManager, FloodControl, type KamailioProcess, registerEdgeMetrics } from '../src/index.ts';
import { FakeEngine, startEdge } from './helpers/edge-harness.ts';
import { runUac, type SippUas, scenario, startUas, tmpDir } from './helpers/sipp.ts';

// Live: default deny, Pike, bans and the edge counters on a real Kamailio + SIPp.
let t: TestDatabase;
let k: KamailioProcess;
let dir: string;
let node: SippUas;
let allow: AllowList;
let flood: FloodControl;
let fleet: FleetManager;
const engine = new FakeEngine();
const target = () => `127.0.0.1:${k.settings.sipPort}`;
const forbidden = scenario('uac-forbidden.xml');

beforeAll(async () => {
  dir = await tmpDir('edge');
  t = await createTestDatabase();
  // Pike tight enough to trip in a test: more than 16 requests per 2 s from one source
  // (an INVITE and its ACK are two).
  k = await startEdge(t.url, { defines: { PIKE_DENSITY: 16, PIKE_UNIT: 2, BAN_SECS: 30 } });
  const db = asFleetDb(t.db);
  allow = new AllowList(db, k.rpc);
  flood = new FloodControl(k.rpc);
  fleet = new FleetManager({ db, rpc: k.rpc, esl: engine, calls: engine, rpcRetryForMs: 4_000 });
  await allow.add({ source: '127.0.0.1', group: 1, tag: 'carrier-a' });
  node = await startUas(dir, 'node');
  engine.eslUp.add('node');
  await fleet.addNode({ name: 'node', eslHost: '127.0.0.1', eslPort: 8021, sipUri: node.uri });
  await waitFor(
    async () => {
      await fleet.tick();
      return (await fleet.view('node')).state === 'active';
    },
    { timeoutMs: 15_000, intervalMs: 300, what: 'node active' },
  );
});

afterAll(async () => {
  await fleet?.stop();
  await node?.stop();
  await k?.stop();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('edge security against a live Kamailio', () => {
  it('refuses a source not on the allow-list with 403; nothing reaches a node', async () => {
    const before = await node.invites();
    const r = await runUac(dir, { target: target(), ip: '127.0.0.2', calls: 5, rate: 4, scenarioFile: forbidden });
    expect(r.successful, r.output).toBe(5); // every INVITE answered 403
    await sleep(1_200);
    expect(await node.invites()).toBe(before);
    expect((await flood.counters()).inviteRejected).toBeGreaterThanOrEqual(5);
  });

  it('admits a source once allow-listed, and refuses it again once removed', async () => {
    const entry = await allow.add({ source: '127.0.0.2/32', group: 1, tag: 'carrier-b' });
    expect((await allow.list()).map((e) => e.ip)).toContain('127.0.0.2');
    const ok = await runUac(dir, { target: target(), ip: '127.0.0.2', calls: 5, rate: 10 });
    expect(ok.failed, ok.output).toBe(0);
    expect(ok.successful).toBe(5);
    expect(await allow.remove(entry.id)).toBe(true);
    const refused = await runUac(dir, { target: target(), ip: '127.0.0.2', calls: 3, rate: 10, scenarioFile: forbidden });
    expect(refused.successful, refused.output).toBe(3);
  });

  it('throttles a flood with Pike while an allowed caller keeps getting through', async () => {
    const normal = runUac(dir, { target: target(), calls: 20, rate: 10, durationMs: 200 });
    // Pike forgets a source soon after the ban takes over, so watch its view during the flood.
    const seenHot = new Set<string>();
    const watch = setInterval(() => {
      flood
        .pikeTop()
        .then((top) => {
          for (const o of top) if (o.status === 'HOT') seenHot.add(o.ip);
        })
        .catch(() => {});
    }, 150);
    const flooder = await runUac(dir, {
      target: target(),
      ip: '127.0.0.3',
      calls: 120,
      rate: 60,
      scenarioFile: forbidden,
      timeoutSecs: 12,
      extra: ['-recv_timeout', '1500'],
    });
    clearInterval(watch);
    const ok = await normal;
    expect(ok.failed, ok.output).toBe(0);
    expect(ok.successful).toBe(20);
    // Only the requests before Pike tripped were answered (403); the rest got silence.
    expect(flooder.successful).toBeLessThan(40);
    expect(flooder.failed).toBeGreaterThan(60);
    expect((await flood.counters()).throttled).toBeGreaterThan(0);
    expect((await flood.bans()).map((b) => b.ip)).toContain('127.0.0.3');
    expect([...seenHot]).toEqual(['127.0.0.3']);
  });

  it('bans and unbans a source by hand', async () => {
    await flood.ban('127.0.0.4', 120);
    expect((await flood.bans()).map((b) => b.ip)).toContain('127.0.0.4');
    const banned = await runUac(dir, {
      target: target(),
      ip: '127.0.0.4',
      calls: 2,
      rate: 10,
      scenarioFile: forbidden,
      extra: ['-recv_timeout', '1500'],
    });
    expect(banned.successful).toBe(0); // dropped silently, not even a 403
    expect(await flood.unban('127.0.0.4')).toBe(true);
    const after = await runUac(dir, { target: target(), ip: '127.0.0.4', calls: 2, rate: 10, scenarioFile: forbidden });
    expect(after.successful, after.output).toBe(2);
    await expect(flood.ban('not-an-ip', 10)).rejects.toThrow(/invalid ip/);
    await expect(flood.ban('127.0.0.9', 0)).rejects.toThrow(/seconds/);
  });

  it('exposes rejected and throttled counts as metrics', async () => {
    const registry = new Registry();
    registerEdgeMetrics(registry, flood);
    const text = await registry.metrics();
    expect(text).toMatch(/^switchyard_edge_up 1$/m);
    const rejected = Number(text.match(/^switchyard_edge_invites_rejected (\d+)$/m)?.[1]);
    expect(rejected).toBeGreaterThanOrEqual(5);
    expect(Number(text.match(/^switchyard_edge_throttled (\d+)$/m)?.[1])).toBeGreaterThan(0);
  });

  it('answers OPTIONS locally for a trusted source and 403 for a stranger', async () => {
    expect(await sipOptions('127.0.0.1')).toMatch(/^SIP\/2\.0 200 /);
    expect(await sipOptions('127.0.0.6')).toMatch(/^SIP\/2\.0 403 /);
  });

  it('serves RPC only on the admin listener, not on the SIP port', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'core.version', params: [], id: 1 });
    const onSip = await fetch(`http://127.0.0.1:${k.settings.sipPort}/RPC`, { method: 'POST', body });
    expect(onSip.status).toBe(403);
    const onAdmin = await fetch(k.rpc.url, { method: 'POST', body });
    expect(onAdmin.status).toBe(200);
  });

  it('validates allow-list input', async () => {
    await expect(allow.add({ source: '0.0.0.0/0' })).rejects.toThrow(/mask/);
    await expect(allow.add({ source: 'example.com' })).rejects.toThrow(/not an IP/);
  });
});

/** One raw OPTIONS over UDP from `ip`; resolves with the first reply. */
async function sipOptions(ip: string): Promise<string> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, ip, () => r()));
  const { port } = sock.address();
  const msg = [
    `OPTIONS sip:127.0.0.1:${k.settings.sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${ip}:${port};branch=z9hG4bK-${Date.now()}`,
    `From: <sip:probe@${ip}>;tag=t1`,
    `To: <sip:127.0.0.1:${k.settings.sipPort}>`,
    `Call-ID: opt-${Date.now()}-${ip}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  try {
    const reply = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply to OPTIONS')), 3_000);
      sock.once('message', (b) => {
        clearTimeout(timer);
        resolve(b.toString());
      });
    });
    sock.send(msg, k.settings.sipPort, '127.0.0.1');
    return await reply;
  } finally {
    sock.close();
  }
}
