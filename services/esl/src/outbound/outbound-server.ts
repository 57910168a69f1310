/**
 * TCP server for FreeSWITCH outbound sockets. FreeSWITCH connects and sends nothing; we send
 * `connect` at once (FS drops the socket if it has not arrived within 25 s), parse the channel
 * data from the reply, then hand an OutboundConnection to the application.
 */

import { createServer, type Server, type Socket } from 'node:net';
import { EslConnection, type EslConnectionOptions } from '../connection/esl-connection.ts';
import { EslError } from '../connection/errors.ts';
import { OutboundConnection } from './outbound-connection.ts';

/** Options of `createOutboundServer`. */
export interface OutboundServerOptions extends EslConnectionOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Listen port (0 = ephemeral; read `server.port`). */
  port: number;
  /** Deadline for the `connect` reply (ms, default 5 000). */
  connectTimeoutMs?: number;
  /** Concurrent sockets (default 10 000); more are refused by the kernel backlog/close. */
  maxConnections?: number;
  /** Called once per session after `connect` succeeded. A throw/rejection closes that session. */
  onConnection: (conn: OutboundConnection) => void | Promise<void>;
  /** Non-fatal problems (bad handshakes, handler errors). */
  onWarning?: (err: Error) => void;
}

/** A listening outbound server. */
export interface OutboundServer {
  readonly port: number;
  /** Sessions currently open. */
  readonly connections: number;
  /** Stop accepting; `drainMs` lets open sessions finish before they are destroyed (default 0). */
  close(drainMs?: number): Promise<void>;
}

/**
 * Listen for FreeSWITCH outbound sockets.
 *
 * @example
 * const server = await createOutboundServer({ port: 8084, onConnection: async (c) => {
 *   await c.myevents(); await c.execute('answer');
 * }});
 */
export async function createOutboundServer(opts: OutboundServerOptions): Promise<OutboundServer> {
  const live = new Set<OutboundConnection>();
  const sockets = new Set<Socket>();
  const warn = (e: unknown) => opts.onWarning?.(e instanceof Error ? e : new Error(String(e)));
  const server: Server = createServer({ noDelay: true, keepAlive: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handshake(socket, opts)
      .then((oc) => {
        live.add(oc);
        oc.once('close', () => live.delete(oc));
        oc.on('warning', warn);
        return Promise.resolve(opts.onConnection(oc)).catch((e: unknown) => {
          warn(e);
          oc.destroy();
        });
      })
      .catch((e: unknown) => {
        warn(e);
        socket.destroy();
      });
  });
  server.maxConnections = opts.maxConnections ?? 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', warn);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    port,
    get connections() {
      return live.size;
    },
    async close(drainMs = 0) {
      const stopped = new Promise<void>((r) => server.close(() => r()));
      if (drainMs > 0 && live.size > 0) {
        await Promise.race([Promise.all([...live].map((c) => c.closed)), new Promise((r) => setTimeout(r, drainMs))]);
      }
      for (const s of sockets) s.destroy();
      await stopped;
    },
  };
}

/** Send `connect`, await the channel-data reply within the deadline. */
async function handshake(socket: Socket, opts: OutboundServerOptions): Promise<OutboundConnection> {
  const conn = new EslConnection(socket, opts);
  const reply = await conn.send('connect', undefined, undefined, { timeoutMs: opts.connectTimeoutMs ?? 5000 });
  const text = reply.headers.getDecoded('Reply-Text') ?? '';
  if (!text.startsWith('+OK')) throw new EslError('command', `outbound connect refused: ${text}`);
  return new OutboundConnection(conn, reply);
}
