import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freeTcpPort } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoalescedTask,
  dispatcherRowFor,
  KamailioRpcClient,
  KamailioRpcError,
  type LifecycleNode,
  nextNodeState,
  PROBE_SET_ID,
  parseDispatcherList,
  parseSource,
} from '../src/index.ts';

const node = (over: Partial<LifecycleNode> = {}): LifecycleNode => ({
  name: 'fs1',
  sip_uri: 'sip:127.0.0.1:5080',
  weight: 30,
  set_id: 2,
  state: 'active',
  drain_started_at: null,
  drain_timeout_secs: 60,
  ...over,
});
const now = new Date('2026-11-24T12:00:00Z');

describe('node lifecycle (pure)', () => {
  it('activates a probing node only when SIP and ESL are both up', () => {
    const n = node({ state: 'probing' });
    expect(nextNodeState(n, { sipUp: true, eslUp: false, inFlightCalls: 0, now })).toBe('probing');
    expect(nextNodeState(n, { sipUp: false, eslUp: true, inFlightCalls: 0, now })).toBe('probing');
    expect(nextNodeState(n, { sipUp: null, eslUp: true, inFlightCalls: 0, now })).toBe('probing');
    expect(nextNodeState(n, { sipUp: true, eslUp: true, inFlightCalls: 0, now })).toBe('active');
  });

  it('sends an active node back to probing when its ESL is lost', () => {
    expect(nextNodeState(node(), { sipUp: true, eslUp: false, inFlightCalls: 3, now })).toBe('probing');
    expect(nextNodeState(node(), { sipUp: false, eslUp: true, inFlightCalls: 3, now })).toBe('active');
  });

  it('treats unknown ESL health as no change (unknown is not down)', () => {
    expect(nextNodeState(node(), { sipUp: true, eslUp: null, inFlightCalls: 0, now })).toBe('active');
    expect(nextNodeState(node({ state: 'probing' }), { sipUp: true, eslUp: null, inFlightCalls: 0, now })).toBe('probing');
  });

  it('finishes a drain at zero calls or at the timeout', () => {
    const d = node({ state: 'draining', drain_started_at: new Date(now.getTime() - 30_000) });
    expect(nextNodeState(d, { sipUp: true, eslUp: true, inFlightCalls: 2, now })).toBe('draining');
    expect(nextNodeState(d, { sipUp: true, eslUp: true, inFlightCalls: 0, now })).toBe('removed');
    const late = new Date(now.getTime() + 31_000);
    expect(nextNodeState(d, { sipUp: true, eslUp: true, inFlightCalls: 2, now: late })).toBe('removed');
  });

  it('maps states to dispatcher rows (probe set, active, disabled, none)', () => {
    expect(dispatcherRowFor(node({ state: 'probing' }))).toMatchObject({ setid: PROBE_SET_ID, flags: 9 });
    expect(dispatcherRowFor(node())).toMatchObject({ setid: 2, flags: 0, attrs: 'weight=30;rweight=30;duid=fs1' });
    expect(dispatcherRowFor(node({ state: 'draining' }))).toMatchObject({ setid: 2, flags: 4 });
    expect(dispatcherRowFor(node({ state: 'removed' }))).toBeNull();
  });
});

describe('parsers', () => {
  it('flattens dispatcher.list', () => {
    const list = parseDispatcherList({
      NRSETS: 2,
      RECORDS: [
        { SET: { ID: 1, TARGETS: [{ DEST: { URI: 'sip:a:1', FLAGS: 'AP', ATTRS: { BODY: 'weight=1' } } }] } },
        { SET: { ID: 2, TARGETS: [{ DEST: { URI: 'sip:b:2', FLAGS: 'DX' } }, { DEST: { URI: 'sip:c:3', FLAGS: 'TP' } }] } },
      ],
    });
    expect(list).toEqual([
      { setId: 1, uri: 'sip:a:1', state: 'active', probing: true, flags: 'AP', attrs: 'weight=1' },
      { setId: 2, uri: 'sip:b:2', state: 'disabled', probing: false, flags: 'DX', attrs: '' },
      { setId: 2, uri: 'sip:c:3', state: 'trying', probing: true, flags: 'TP', attrs: '' },
    ]);
    expect(parseDispatcherList(null)).toEqual([]);
    expect(parseDispatcherList({ RECORDS: [{ SET: { ID: 'x' } }] })).toEqual([]);
  });

  it('parses allow-list sources', () => {
    expect(parseSource('203.0.113.7')).toEqual({ ip: '203.0.113.7', mask: 32 });
    expect(parseSource('203.0.113.0/24')).toEqual({ ip: '203.0.113.0', mask: 24 });
    expect(parseSource('2001:db8::/48')).toEqual({ ip: '2001:db8::', mask: 48 });
    expect(() => parseSource('10.0.0.0/0')).toThrow(/mask/);
    expect(() => parseSource('10.0.0.0/33')).toThrow(/mask/);
    expect(() => parseSource('nope')).toThrow(/not an IP/);
  });
});

describe('CoalescedTask', () => {
  it('runs a burst of requests as at most two runs, each caller covered', async () => {
    let runs = 0;
    const task = new CoalescedTask(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
    });
    await Promise.all([task.run(), task.run(), task.run(), task.run()]);
    expect(runs).toBe(1);
    const first = task.run();
    await new Promise((r) => setTimeout(r, 5)); // first is running now
    await Promise.all([first, task.run(), task.run()]);
    expect(runs).toBe(3);
  });
});

describe('KamailioRpcClient over real HTTP', () => {
  let server: http.Server;
  let url: string;
  let busyFor = 0;
  const seen: unknown[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const msg = JSON.parse(body);
        seen.push(msg);
        res.setHeader('content-type', 'application/json');
        if (busyFor-- > 0) {
          res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: 500, message: 'Ongoing reload' }, id: msg.id }));
        } else if (msg.method === 'bad.method') {
          res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32601, message: 'Method Not Found' }, id: msg.id }));
        } else {
          res.end(JSON.stringify({ jsonrpc: '2.0', result: { echo: msg.params }, id: msg.id }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends positional params and returns the result', async () => {
    const rpc = new KamailioRpcClient({ url });
    expect(await rpc.call('dispatcher.set_state', ['d', 1, 'sip:x:1'])).toEqual({ echo: ['d', 1, 'sip:x:1'] });
    expect(seen.at(-1)).toMatchObject({ jsonrpc: '2.0', method: 'dispatcher.set_state' });
  });

  it('retries "Ongoing reload" until it clears', async () => {
    busyFor = 2;
    const rpc = new KamailioRpcClient({ url, backoff: { baseMs: 10, maxMs: 20 } });
    expect(await rpc.call('dispatcher.reload', [], { retryForMs: 5_000 })).toEqual({ echo: [] });
    expect(busyFor).toBeLessThan(0);
  });

  it('does not retry a real error', async () => {
    const rpc = new KamailioRpcClient({ url });
    const err = (await rpc.call('bad.method').catch((e: unknown) => e)) as KamailioRpcError;
    expect(err).toBeInstanceOf(KamailioRpcError);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/Method Not Found/);
  });

  it('gives up on an unreachable Kamailio after the retry window', async () => {
    const rpc = new KamailioRpcClient({ url: `http://127.0.0.1:${await freeTcpPort()}/RPC`, timeoutMs: 300 });
    const t0 = Date.now();
    const err = (await rpc.call('core.version', [], { retryForMs: 600 }).catch((e: unknown) => e)) as KamailioRpcError;
    expect(err).toBeInstanceOf(KamailioRpcError);
    expect(err.code).toBe(0);
    expect(err.message).toMatch(/unreachable/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
  });
});
