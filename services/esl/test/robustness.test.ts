import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EslConnection, EslDisconnectedError, EslError, type EslEvent, EslInboundClient, encodeApiResponse, encodeCommandReply } from '../src/index.ts';
import { type Responder, responder } from './helpers/responder.ts';
import { rng } from './helpers/scripted-fs.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function clientFor(r: Responder, extra: Partial<ConstructorParameters<typeof EslInboundClient>[0]> = {}): Promise<EslInboundClient> {
  const client = new EslInboundClient({ host: '127.0.0.1', port: r.port, password: 'ClueCon', backoff: { baseMs: 5, maxMs: 20 }, ...extra });
  cleanups.push(() => client.close(100));
  await client.connect();
  return client;
}

const waitFor = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('bad input never escapes the socket handler', () => {
  it('decodes %E9 (Latin-1) in a plain event instead of throwing', async () => {
    const r = await responder();
    cleanups.push(r.close);
    const client = await clientFor(r, { events: { format: 'plain', names: ['ALL'] } });
    const got: EslEvent[] = [];
    client.on('event', (e) => got.push(e));
    const inner = 'Event-Name: CHANNEL_CREATE\nUnique-ID: u1\nCaller-Caller-ID-Name: Jos%E9%20M%C3%BCller\nBad-Escape: 100%\nEmpty: _undef_\n\n';
    r.sockets[0]!.write(`Content-Length: ${Buffer.byteLength(inner)}\nContent-Type: text/event-plain\n\n${inner}`);
    await waitFor(() => got.length === 1);
    expect(got[0]!.get('Caller-Caller-ID-Name')).toBe('José Müller');
    expect(got[0]!.headers()).toMatchObject({ 'Bad-Escape': '100%', Empty: '' });
    expect(await client.api('status')).toBe('ok status');
  });

  it('a listener that throws becomes a warning; the connection keeps working', async () => {
    const r = await responder();
    cleanups.push(r.close);
    const client = await clientFor(r, { events: { format: 'plain', names: ['ALL'] } });
    const warnings: Error[] = [];
    client.on('warning', (e) => warnings.push(e));
    client.on('event', () => {
      throw new Error('listener bug');
    });
    const inner = 'Event-Name: HEARTBEAT\n\n';
    r.sockets[0]!.write(`Content-Length: ${inner.length}\nContent-Type: text/event-plain\n\n${inner}`);
    await waitFor(() => warnings.length === 1);
    expect(warnings[0]!.message).toBe('listener bug');
    expect(await client.api('status')).toBe('ok status');
  });

  it('an oversize header block disconnects, fails in-flight commands, and the client reconnects', async () => {
    const r = await responder((line, s) => {
      if (line !== 'api status') return false;
      s.write('Content-Type: api/response\nX: ' + 'a'.repeat(10_000));
      return true;
    });
    cleanups.push(r.close);
    const client = await clientFor(r, { maxHeaderBytes: 4096 });
    const err = await client.api('status').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EslDisconnectedError);
    await waitFor(() => client.connected && r.conns.length === 2);
    expect(await client.api('version')).toBe('ok version');
  });

  it('an oversize Content-Length and a non-numeric one disconnect instead of allocating', async () => {
    for (const bad of ['Content-Length: 999999999999', 'Content-Length: 12abc']) {
      const r = await responder((line, s) => {
        if (line !== 'api status') return false;
        s.write(`Content-Type: api/response\n${bad}\n\n`);
        return true;
      });
      cleanups.push(r.close);
      const client = await clientFor(r);
      await expect(client.api('status')).rejects.toBeInstanceOf(EslDisconnectedError);
    }
  });

  it('a truncated frame at close fails the command and warns', async () => {
    const r = await responder((line, s) => {
      if (line !== 'api status') return false;
      s.end('Content-Type: api/response\nContent-Length: 100\n\nonly part');
      return true;
    });
    cleanups.push(r.close);
    const client = await clientFor(r);
    const warnings: Error[] = [];
    client.on('warning', (e) => warnings.push(e));
    await expect(client.api('status')).rejects.toBeInstanceOf(EslDisconnectedError);
    expect(warnings.some((w) => /closed inside a frame/.test(w.message))).toBe(true);
  });

  it('random garbage only ever warns or disconnects', async () => {
    const rand = rng(7);
    for (let run = 0; run < 30; run++) {
      const server = createServer((s) => {
        s.on('error', () => {});
        const parts = ['\n\n', 'Content-Type: ', 'Content-Length: ', '7', '-1', 'x', '\r', 'text/event-plain', 'text/event-json', '{"Event-Name":', 'api/response', '\n', ':', '%', '%E9', '\xff'];
        let junk = '';
        for (let i = 0; i < 200; i++) junk += parts[Math.floor(rand() * parts.length)]!;
        s.end(Buffer.from(junk, 'latin1'));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const addr = server.address();
      const socket = connect({ host: '127.0.0.1', port: typeof addr === 'object' && addr ? addr.port : 0 });
      await once(socket, 'connect');
      const conn = new EslConnection(socket);
      conn.on('event', (e) => {
        // touching every accessor must not throw either
        void [e.name, e.uniqueId, e.jobUuid, e.body, e.headers()];
      });
      const pending = conn.api('status').catch((e: unknown) => e);
      await once(conn, 'close');
      const res = await pending;
      expect(typeof res === 'string' || res instanceof EslError).toBe(true);
      server.close();
    }
  });
});

describe('reconnect semantics', () => {
  it('in-flight commands, jobs and executes fail on disconnect; nothing is resent; subscriptions are restored', async () => {
    const r = await responder((line, s, idx) => {
      if (idx === 0 && line === 'api status') return true; // never answered (FS is busy / link is dying)
      if (idx === 0 && line.startsWith('bgapi ')) {
        s.write(encodeCommandReply('+OK Job-UUID: j1', [['Job-UUID', 'j1']]));
        return true; // accepted, but its BACKGROUND_JOB never comes
      }
      return false; // sendmsg gets +OK (queued); its EXECUTE_COMPLETE never comes
    });
    cleanups.push(r.close);
    let resyncs = 0;
    const client = await clientFor(r, {
      events: { format: 'plain', names: ['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP_COMPLETE'] },
      filters: [['Event-Name', 'CHANNEL_EXECUTE_COMPLETE']],
      backoff: { baseMs: 300, maxMs: 300 },
      onReconnect: async (c) => {
        resyncs++;
        await c.api('show channels as json');
      },
    });
    const states: string[] = [];
    client.on('connected', ({ reconnect }) => states.push(reconnect ? 'reconnected' : 'connected'));
    client.on('disconnected', () => states.push('disconnected'));
    const job = client.bgapi('originate loopback/1 &park()', { jobUuid: 'j1' }).catch((e: unknown) => e);
    const exec = client.execute('chan-1', 'playback', 'x.wav').catch((e: unknown) => e);
    const api = client.api('status').catch((e: unknown) => e);
    await waitFor(() => r.conns[0]!.length === 6);
    r.sockets[0]!.destroy();
    expect(await api).toBeInstanceOf(EslDisconnectedError);
    expect(await job).toBeInstanceOf(EslDisconnectedError);
    expect(await exec).toBeInstanceOf(EslDisconnectedError);
    // While disconnected, commands fail at once instead of queueing for a later resend.
    const err = await client.api('version').catch((e: unknown) => e);
    expect((err as EslError).code).toBe('not-connected');
    await waitFor(() => client.connected && resyncs === 1);
    expect(await client.api('version')).toBe('ok version');
    expect(states).toEqual(['disconnected', 'reconnected']);
    expect(r.conns[0]).toEqual([
      'auth ClueCon',
      'event plain CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP_COMPLETE BACKGROUND_JOB',
      'filter Event-Name CHANNEL_EXECUTE_COMPLETE',
      'bgapi originate loopback/1 &park()',
      'sendmsg chan-1',
      'api status',
    ]);
    // Nothing from the first connection was replayed: only the handshake, resync and new work.
    expect(r.conns[1]).toEqual([
      'auth ClueCon',
      'event plain CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP_COMPLETE BACKGROUND_JOB',
      'filter Event-Name CHANNEL_EXECUTE_COMPLETE',
      'api show channels as json',
      'api version',
    ]);
  });

  it('a command that times out keeps its reply slot, so later replies still match', async () => {
    let held: Socket | undefined;
    const r = await responder((line, s) => {
      if (line === 'api slow') {
        held = s;
        return true;
      }
      if (line === 'api fast' && held) {
        held.write(encodeApiResponse('slow result'));
        held = undefined;
        s.write(encodeApiResponse('fast result'));
        return true;
      }
      return false;
    });
    cleanups.push(r.close);
    const client = await clientFor(r);
    const slow = client.api('slow', { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(((await slow) as EslError).code).toBe('timeout');
    expect(await client.api('fast')).toBe('fast result');
  });

  it('AbortSignal cancels a pending command and a bgapi job', async () => {
    const r = await responder((line) => line === 'api hang');
    cleanups.push(r.close);
    const client = await clientFor(r);
    const ac = new AbortController();
    const p = client.api('hang', { signal: ac.signal }).catch((e: unknown) => e);
    const j = client.bgapi('status', { signal: ac.signal }).catch((e: unknown) => e);
    ac.abort();
    expect(((await p) as EslError).code).toBe('aborted');
    expect(((await j) as EslError).code).toBe('aborted');
  });
});

describe('rejections', () => {
  it('text/rude-rejection (ACL) rejects connect() without a reconnect storm', async () => {
    let accepted = 0;
    const server = createServer((s) => {
      accepted++;
      s.on('error', () => {});
      s.end('Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const addr = server.address();
    const client = new EslInboundClient({ host: '127.0.0.1', port: typeof addr === 'object' && addr ? addr.port : 0, password: 'x', backoff: { baseMs: 1, maxMs: 2 } });
    cleanups.push(() => client.close(10));
    const err = await client.connect().catch((e: unknown) => e);
    expect((err as EslError).code).toBe('auth');
    expect((err as EslError).message).toMatch(/Access Denied/);
    await new Promise((r) => setTimeout(r, 30));
    expect(accepted).toBe(1);
  });
});
