import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EslInboundClient } from '../src/index.ts';

// close() while the client is between TCP connect and a finished auth used to leave the
// reconnect loop waiting on a connection nobody would end: close() never resolved.
describe('EslInboundClient.close() during the handshake', () => {
  it('resolves, ends the half-open connection and rejects connect()', async () => {
    let sock: Socket | undefined;
    let authed!: () => void;
    const gotAuth = new Promise<void>((r) => {
      authed = r;
    });
    const server = createServer((s) => {
      sock = s;
      s.write('Content-Type: auth/request\n\n');
      s.on('data', (b) => {
        if (!b.toString().startsWith('auth ')) return;
        authed(); // hold the reply until the client has been told to close
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const client = new EslInboundClient({ host: '127.0.0.1', port, password: 'ClueCon', backoff: { baseMs: 5, maxMs: 20 } });
    const connecting = client.connect().catch((e: unknown) => e);
    await gotAuth;
    const closing = client.close(100);
    sock!.write('Content-Type: command/reply\nReply-Text: +OK accepted\n\n');
    const ended = new Promise<void>((r) => sock!.once('close', () => r()));
    const outcome = await Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('close() hung'), 10_000))]);
    expect(outcome).toBe('closed');
    await ended; // the server sees the connection go
    expect(await connecting).toBeInstanceOf(Error);
    expect(client.connected).toBe(false);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
