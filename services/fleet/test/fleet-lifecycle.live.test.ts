import { rm } from 'node:fs/promises';
import { createTestDatabase, sleep, type TestDatabase, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllowList,
  asFleetDb,
  FleetManager,
  type KamailioProcess,
  PROBE_SET_ID,
  parseDispatcherList,
} from '../src/index.ts';
import { FakeEngine, startEdge } from './helpers/edge-harness.ts';
import { runUac, type SippUas, scenario, startUas, tmpDir } from './helpers/sipp.ts';

// Live: a real Kamailio on our kamailio.cfg, a fresh database, three SIPp UAS nodes.
let t: TestDatabase;
let k: KamailioProcess;
let fleet: FleetManager;
let dir: string;
const engine = new FakeEngine();
const uas: Record<string, SippUas> = {};
const names = ['n1', 'n2', 'n3'] as const;

const target = () => `127.0.0.1:${k.settings.sipPort}`;
const counts = async () => Object.fromEntries(await Promise.all(names.map(async (n) => [n, await uas[n]!.invites()] as const)));
const delta = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(names.map((n) => [n, (b[n] ?? 0) - (a[n] ?? 0)]));
/** Settles: message logs are flushed about once a second. */
const countsAfterSettle = async () => {
  await sleep(1_200);
  return counts();
};

async function tickUntil(pred: () => Promise<boolean>, what: string) {
  await waitFor(
    async () => {
      await fleet.tick();
      return pred();
    },
    { timeoutMs: 15_000, intervalMs: 300, what },
  );
}
const stateOf = async (name: string) => (await fleet.view(name)).state;
/** Every node in set 1 is up by Kamailio's probing (a loaded machine can slow a probe). */
const allSipActive = () =>
  waitFor(async () => (await fleet.list()).every((n) => n.sip?.state === 'active'), { what: 'all nodes probed up' });

beforeAll(async () => {
  dir = await tmpDir('fleet');
  t = await createTestDatabase();
  k = await startEdge(t.url);
  const db = asFleetDb(t.db);
  fleet = new FleetManager({ db, rpc: k.rpc, esl: engine, calls: engine, rpcRetryForMs: 4_000 });
  await new AllowList(db, k.rpc).add({ source: '127.0.0.1', group: 1, tag: 'test-trunk' });
  for (const n of names) uas[n] = await startUas(dir, n);
});

afterAll(async () => {
  await fleet?.stop();
  for (const u of Object.values(uas)) await u.stop();
  await k?.stop();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('node lifecycle against a live Kamailio', () => {
  it('probes new nodes and activates them only when SIP and ESL are both up', async () => {
    for (const n of names) {
      const v = await fleet.addNode({ name: n, eslHost: '127.0.0.1', eslPort: 8021, sipUri: uas[n]!.uri, weight: 10 });
      expect(v.state).toBe('probing');
    }
    // A node whose SIP side never answers stays in probing even with ESL up.
    await fleet.addNode({ name: 'ghost', eslHost: '127.0.0.1', eslPort: 8021, sipUri: 'sip:127.0.0.1:9' });
    engine.eslUp.add('n1').add('n2').add('ghost');
    await tickUntil(async () => (await stateOf('n1')) === 'active' && (await stateOf('n2')) === 'active', 'n1, n2 active');
    // n3: SIP up (after the reload that moved n1 and n2 it waits for its next probe), ESL down.
    await waitFor(async () => (await fleet.view('n3')).sip?.state === 'active', { what: 'n3 probed up' });
    await fleet.tick();
    expect(await stateOf('n3')).toBe('probing');
    engine.eslUp.add('n3');
    await tickUntil(async () => (await stateOf('n3')) === 'active', 'n3 active');
    expect(await stateOf('ghost')).toBe('probing');
    expect((await fleet.view('ghost')).sip?.setId).toBe(PROBE_SET_ID);
    await fleet.remove('ghost');
    const rows = await t.db.selectFrom('dispatcher').selectAll().execute();
    expect(rows.map((r) => [r.description, r.setid, r.flags]).sort()).toEqual([
      ['n1', 1, 0],
      ['n2', 1, 0],
      ['n3', 1, 0],
    ]);
  });

  it('round-robin spreads calls evenly over the active nodes', async () => {
    await fleet.setSetAlgorithm(1, 'round-robin');
    await allSipActive();
    const before = await counts();
    const r = await runUac(dir, { target: target(), calls: 30, rate: 30 });
    expect(r.failed, r.output).toBe(0);
    expect(r.successful).toBe(30);
    const d = delta(before, await countsAfterSettle());
    for (const n of names) expect(d[n]).toBe(10);
  });

  it('weighted sends calls in proportion to the node weights', async () => {
    await fleet.setWeight('n1', 70);
    await fleet.setWeight('n2', 20);
    await fleet.setWeight('n3', 10);
    await fleet.setSetAlgorithm(1, 'weighted');
    await allSipActive();
    const before = await counts();
    const r = await runUac(dir, { target: target(), calls: 100, rate: 100 });
    expect(r.failed, r.output).toBe(0);
    const d = delta(before, await countsAfterSettle());
    expect(d.n1! + d.n2! + d.n3!).toBe(100);
    expect(d.n1).toBeGreaterThanOrEqual(55);
    expect(d.n1).toBeLessThanOrEqual(85);
    expect(d.n2).toBeGreaterThan(d.n3! - 5);
    expect(d.n3).toBeLessThan(25);
  });

  it('hash on Call-ID sends the same Call-ID to the same node', async () => {
    await fleet.setSetAlgorithm(1, 'hash-callid');
    await allSipActive();
    const fixed = ['-cid_str', 'sy-hash-%u'];
    const c0 = await counts();
    const a = await runUac(dir, { target: target(), calls: 24, rate: 50, extra: fixed });
    const c1 = await countsAfterSettle();
    const b = await runUac(dir, { target: target(), calls: 24, rate: 50, extra: fixed });
    const c2 = await countsAfterSettle();
    expect(a.failed + b.failed, a.output + b.output).toBe(0);
    const first = delta(c0, c1);
    expect(delta(c1, c2)).toEqual(first);
    expect(Object.values(first).filter((v) => v > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('drain during traffic: new calls avoid the node, its calls finish, none fails', async () => {
    await fleet.setSetAlgorithm(1, 'round-robin');
    engine.calls.set('n1', 3);
    const run = runUac(dir, { target: target(), calls: 36, rate: 12, durationMs: 1_500 });
    await sleep(1_200);
    const view = await fleet.drain('n1');
    expect(view.state).toBe('draining');
    expect(view.sip?.state).toBe('disabled');
    const atDrain = (await countsAfterSettle()).n1!;
    const r = await run;
    expect(r.failed, r.output).toBe(0);
    expect(r.successful, r.output).toBe(36); // BYEs of calls on n1 routed in-dialog after the drain
    const after = await countsAfterSettle();
    expect(after.n1).toBe(atDrain);
    // Still draining while the engine reports calls; removed at zero.
    await fleet.tick();
    expect(await stateOf('n1')).toBe('draining');
    engine.calls.set('n1', 0);
    await tickUntil(async () => (await stateOf('n1')) === 'removed', 'n1 removed');
    const listed = parseDispatcherList(await k.rpc.call('dispatcher.list'));
    expect(listed.map((x) => x.uri)).not.toContain(uas.n1!.uri);
    // Bring it back for the next tests: re-adding revives the row.
    await fleet.addNode({ name: 'n1', eslHost: '127.0.0.1', eslPort: 8021, sipUri: uas.n1!.uri, weight: 10 });
    await tickUntil(async () => (await stateOf('n1')) === 'active', 'n1 active again');
  });

  it('kill a node: probing marks it down, calls fail over; bring it back and it rejoins', async () => {
    await uas.n2!.kill9();
    const before = await counts();
    const r = await runUac(dir, { target: target(), calls: 20, rate: 10 });
    expect(r.failed, r.output).toBe(0);
    await waitFor(async () => (await fleet.view('n2')).sip?.state !== 'active', { what: 'n2 marked down' });
    const d = delta(before, await countsAfterSettle());
    expect(d.n1! + d.n3!).toBe(20);
    await uas.n2!.restart();
    await waitFor(async () => (await fleet.view('n2')).sip?.state === 'active', { what: 'n2 back', timeoutMs: 10_000 });
    const b2 = await counts();
    const r2 = await runUac(dir, { target: target(), calls: 15, rate: 15 });
    expect(r2.failed, r2.output).toBe(0);
    expect(delta(b2, await countsAfterSettle()).n2).toBe(5);
  });

  it('fails a call over to another node when one answers 503', async () => {
    const busy = await startUas(dir, 'busy', { scenarioFile: scenario('uas-503.xml') });
    try {
      engine.eslUp.add('busy');
      await fleet.addNode({ name: 'busy', eslHost: '127.0.0.1', eslPort: 8021, sipUri: busy.uri });
      await tickUntil(async () => (await stateOf('busy')) === 'active', 'busy active');
      const before = await counts();
      const r = await runUac(dir, { target: target(), calls: 16, rate: 16 });
      expect(r.failed, r.output).toBe(0);
      await sleep(1_200);
      expect(await busy.invites()).toBeGreaterThanOrEqual(3); // it was tried, refused, and skipped
      const d = delta(before, await counts());
      expect(d.n1! + d.n2! + d.n3!).toBe(16);
    } finally {
      await fleet.remove('busy', { force: true });
      await busy.stop();
    }
  });

  it('keeps changes made while Kamailio is away and applies them when it is back', async () => {
    const settings = k.settings;
    await k.stop();
    const v = await fleet.setWeight('n3', 42);
    expect(v.weight).toBe(42);
    expect(v.sip).toBeNull();
    expect((await fleet.tick()).kamailioInSync).toBe(false);
    await k.restart(settings);
    // Kamailio loads the table at start; a tick reconciles and re-reads.
    expect((await fleet.tick()).kamailioInSync).toBe(true);
    expect(await fleet.reconcile()).toBe(true);
    const n3 = parseDispatcherList(await k.rpc.call('dispatcher.list')).find((x) => x.uri === uas.n3!.uri);
    expect(n3?.attrs).toContain('weight=42');
  });

  it('rejects bad input with a clear error', async () => {
    await expect(fleet.addNode({ name: 'Bad Name', eslHost: 'x', eslPort: 1, sipUri: 'sip:1.2.3.4:5' })).rejects.toThrow(/name/);
    await expect(fleet.addNode({ name: 'n9', eslHost: 'x', eslPort: 1, sipUri: uas.n2!.uri })).rejects.toThrow(/already used/);
    await expect(fleet.setWeight('n2', 101)).rejects.toThrow(/weight/);
    await expect(fleet.drain('nope')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(fleet.resume('n2')).rejects.toMatchObject({ kind: 'conflict', message: /not draining/ });
    await expect(fleet.drain('n2').then(() => fleet.addNode({ name: 'n2', eslHost: 'x', eslPort: 1, sipUri: 'sip:127.0.0.1:7' }))).rejects.toMatchObject({
      kind: 'conflict',
    });
    // A drain can be taken back: the node probes again and rejoins.
    expect((await fleet.resume('n2')).state).toBe('probing');
    await tickUntil(async () => (await stateOf('n2')) === 'active', 'n2 active after resume');
  });
});
