import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createOutboundServer,
  EslCommandError,
  EslConnection,
  EslDisconnectedError,
  EslError,
  EslFrameParser,
  EslInboundClient,
  encodeCommandReply,
  encodeExecute,
  encodeHangup,
  type OutboundConnection,
} from '../src/index.ts';
import { responder } from './helpers/responder.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Responder that answers `-ERR` to sendmsg for the uuid `missing`, and never answers `sendmsg silent`. */
async function fs() {
  const r = await responder((line, s) => {
    if (line === 'sendmsg missing') s.write(encodeCommandReply('-ERR invalid session id [missing]'));
    else if (line === 'sendmsg silent') return true;
    else return false;
    return true;
  });
  cleanups.push(r.close);
  return r;
}

async function client(port: number) {
  const c = new EslInboundClient({ host: '127.0.0.1', port, password: 'ClueCon', backoff: { baseMs: 5, maxMs: 20 } });
  await c.connect();
  cleanups.push(() => c.close(100));
  return c;
}

describe('sendEncoded / commandEncoded on the inbound client', () => {
  it('writes the exact bytes and resolves on the +OK reply, without tracking a completion', async () => {
    const r = await fs();
    const c = await client(r.port);
    const bytes = encodeExecute({ uuid: 'u1', app: 'playback', arg: 'x.wav', eventUuid: 'app-1' });
    const f = await c.sendEncoded(bytes, { timeoutMs: 1000 });
    expect(f.replyText).toBe('+OK');
    expect(c.pendingExecutes).toBe(0); // the caller tracks completion itself
    expect(r.frames[0]!.at(-1)!.equals(bytes)).toBe(true);
    expect(await c.commandEncoded(encodeHangup('u1', 'USER_BUSY'))).toBe('+OK');
    expect(r.frames[0]!.at(-1)!.toString()).toBe('sendmsg u1\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n');
  });

  it('pipelines with other commands: one write per tick, FIFO replies, counted in inFlight', async () => {
    const r = await fs();
    const c = await client(r.port);
    const before = r.conns[0]!.length;
    const ps = [c.api('a'), c.commandEncoded(encodeExecute({ uuid: 'missing', app: 'answer' })), c.sendEncoded(encodeExecute({ uuid: 'u2', app: 'answer' })), c.api('b')];
    expect(c.inFlight).toBe(4);
    const [a, missing, ok, b] = await Promise.allSettled(ps);
    expect(a).toEqual({ status: 'fulfilled', value: 'ok a' });
    expect(missing!.status).toBe('rejected');
    expect((missing as PromiseRejectedResult).reason).toBeInstanceOf(EslCommandError);
    expect(((ok as PromiseFulfilledResult<{ replyText?: string }>).value).replyText).toBe('+OK');
    expect(b).toEqual({ status: 'fulfilled', value: 'ok b' });
    expect(r.conns[0]!.slice(before)).toEqual(['api a', 'sendmsg missing', 'sendmsg u2', 'api b']);
    expect(c.inFlight).toBe(0);
  });

  it('a disconnect fails the in-flight send and nothing is resent after reconnect', async () => {
    const r = await fs();
    const c = await client(r.port);
    const p = c.sendEncoded(encodeExecute({ uuid: 'silent', app: 'answer' }), { timeoutMs: 5000 });
    p.catch(() => {});
    await expect.poll(() => r.conns[0]!.includes('sendmsg silent')).toBe(true);
    const reconnected = once(c, 'connected');
    r.sockets[0]!.destroy();
    await expect(p).rejects.toBeInstanceOf(EslDisconnectedError);
    await reconnected;
    expect(await c.api('after')).toBe('ok after');
    expect(r.conns[1]).not.toContain('sendmsg silent');
  });

  it('rejects not-connected while down and times out a silent reply', async () => {
    const r = await fs();
    const c = new EslInboundClient({ host: '127.0.0.1', port: r.port, password: 'ClueCon' });
    await expect(c.sendEncoded(encodeHangup('u1'))).rejects.toBeInstanceOf(EslError);
    await c.connect();
    cleanups.push(() => c.close(100));
    await expect(c.sendEncoded(encodeExecute({ uuid: 'silent', app: 'answer' }), { timeoutMs: 50 })).rejects.toBeInstanceOf(EslError);
  });

  it('EslConnection.sendRaw stays as an alias of sendEncoded', async () => {
    const r = await fs();
    const socket = connect({ host: '127.0.0.1', port: r.port });
    await once(socket, 'connect');
    const conn = new EslConnection(socket);
    cleanups.push(() => conn.destroy());
    expect((await conn.sendRaw(encodeHangup('u9'))).replyText).toBe('+OK');
    expect(r.conns[0]).toEqual(['sendmsg u9']);
  });
});

describe('sendEncoded / commandEncoded on an outbound connection', () => {
  it('sends uuid-less sendmsg bytes over the call socket and returns each reply', async () => {
    let result!: Promise<unknown[]>;
    const server = await createOutboundServer({
      port: 0,
      onConnection: (c: OutboundConnection) => {
        result = Promise.all([c.commandEncoded(encodeExecute({ app: 'answer', eventUuid: 'e1' })), c.sendEncoded(encodeHangup(undefined, 'USER_BUSY')).then((f) => f.replyText)]);
      },
    });
    cleanups.push(() => server.close());
    // A minimal FreeSWITCH peer: answers connect with channel data, sendmsg execute +OK, hangup -ERR.
    const s = connect({ host: '127.0.0.1', port: server.port });
    cleanups.push(() => void s.destroy());
    const seen: string[] = [];
    const p = new EslFrameParser();
    s.on('data', (b: Buffer) =>
      p.push(b, (f) => {
        seen.push(f.wireBytes().toString());
        if (f.commandLine() === 'connect') s.write(encodeCommandReply('+OK', [['Unique-ID', 'chan-1'], ['Control', 'full']]));
        else if (f.header('call-command') === 'hangup') s.write(encodeCommandReply('-ERR no'));
        else s.write(encodeCommandReply('+OK'));
      }),
    );
    await expect.poll(() => result !== undefined).toBe(true);
    expect(await result).toEqual(['+OK', '-ERR no']);
    expect(seen.slice(1)).toEqual([encodeExecute({ app: 'answer', eventUuid: 'e1' }).toString(), 'sendmsg\ncall-command: hangup\nhangup-cause: USER_BUSY\n\n']);
  });
});
