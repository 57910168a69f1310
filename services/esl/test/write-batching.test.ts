import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EslConnection, EslError, EslInboundClient } from '../src/index.ts';
import { responder } from './helpers/responder.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function rawConnection(extra: ConstructorParameters<typeof EslConnection>[1] = {}) {
  const r = await responder();
  const socket = connect({ host: '127.0.0.1', port: r.port });
  await once(socket, 'connect');
  const conn = new EslConnection(socket, extra);
  cleanups.push(async () => {
    conn.destroy();
    await r.close();
  });
  // Count what reaches the stream's sink: one `_write` or `_writev` call is one socket write.
  const writes: number[] = [];
  const sink = socket as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
  const w = sink._write.bind(socket);
  const wv = sink._writev.bind(socket);
  sink._write = (...a: unknown[]) => {
    writes.push(1);
    w(...a);
  };
  sink._writev = (chunks: unknown[], cb: unknown) => {
    writes.push(chunks.length);
    wv(chunks, cb);
  };
  return { conn, r, writes };
}

describe('command writes are batched per tick', () => {
  it('commands issued in one tick leave in one socket write, in order, each reply to its caller', async () => {
    const { conn, r, writes } = await rawConnection();
    const cmds = Array.from({ length: 25 }, (_, i) => `status ${i}`);
    const replies = Promise.all(cmds.map((c) => conn.api(c)));
    expect(conn.inFlight).toBe(25);
    expect(await replies).toEqual(cmds.map((c) => `ok ${c}`));
    expect(writes).toEqual([25]);
    expect(r.conns[0]).toEqual(cmds.map((c) => `api ${c}`));
    expect(conn.inFlight).toBe(0);
  });

  it('a lone command is written in the same tick (no timer between send and write)', async () => {
    const { conn, writes } = await rawConnection();
    const p = conn.api('status');
    await Promise.resolve(); // one microtask: the uncork has run
    await Promise.resolve();
    expect(writes).toEqual([1]);
    expect(await p).toBe('ok status');
  });

  it('commands from separate ticks are separate writes, replies still FIFO', async () => {
    const { conn, r, writes } = await rawConnection();
    const a = conn.api('a');
    await new Promise((res) => setImmediate(res));
    const b = [conn.api('b'), conn.command('event plain ALL'), conn.api('c')];
    expect(await a).toBe('ok a');
    expect(await Promise.all(b)).toEqual(['ok b', '+OK', 'ok c']);
    expect(writes).toEqual([1, 3]);
    expect(r.conns[0]).toEqual(['api a', 'api b', 'event plain ALL', 'api c']);
  });
});

describe('inFlight and the execute bound', () => {
  it('EslInboundClient.inFlight counts commands awaiting replies; 0 when disconnected', async () => {
    const r = await responder();
    cleanups.push(r.close);
    const client = new EslInboundClient({ host: '127.0.0.1', port: r.port, password: 'ClueCon' });
    expect(client.inFlight).toBe(0);
    await client.connect();
    cleanups.push(() => client.close(100));
    const ps = [client.api('a'), client.api('b'), client.api('c')];
    expect(client.inFlight).toBe(3);
    await Promise.all(ps);
    expect(client.inFlight).toBe(0);
  });

  it('maxPendingExecutes bounds pending executes (fails fast with busy) and overrides maxPending', async () => {
    const { conn } = await rawConnection({ maxPending: 1, maxPendingExecutes: 2 });
    const uuid = '7f4de4bc-17d7-11ee-a1b9-3b8d3f6c5a01';
    const pending = [conn.execute(uuid, 'park'), conn.execute(uuid, 'park')];
    for (const p of pending) p.catch(() => {});
    const third = await conn.execute(uuid, 'park').catch((e: unknown) => e);
    expect(third).toBeInstanceOf(EslError);
    expect((third as EslError).code).toBe('busy');
    expect(conn.pendingExecutes).toBe(2);
    conn.destroy();
    for (const p of pending) await expect(p).rejects.toThrow();
    expect(conn.pendingExecutes).toBe(0);
  });

  it('maxPending alone still bounds executes (backward compatible)', async () => {
    const { conn } = await rawConnection({ maxPending: 1 });
    const first = conn.execute('7f4de4bc-17d7-11ee-a1b9-3b8d3f6c5a02', 'park');
    first.catch(() => {});
    const err = await conn.execute('7f4de4bc-17d7-11ee-a1b9-3b8d3f6c5a02', 'park').catch((e: unknown) => e);
    expect((err as EslError).code).toBe('busy');
  });

  it('an out-of-range maxPendingExecutes is a clear config error at construction', () => {
    for (const bad of [0, -1, 1.5, 2_000_000, Number.NaN]) {
      expect(() => new EslInboundClient({ host: '127.0.0.1', port: 1, password: 'x', maxPendingExecutes: bad })).toThrow(/maxPendingExecutes must be an integer in 1\.\.1000000/);
    }
  });
});
