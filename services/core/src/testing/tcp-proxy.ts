import net from 'node:net';

/**
 * A loopback TCP proxy a test can cut and restore, to drill outages of Postgres, Redis
 * or an ESL connection without touching the shared servers.
 */
export interface TcpProxy {
  readonly port: number;
  /** Refuse new connections and reset the open ones. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Reset open connections but keep accepting. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1', port = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let listenPort = port;
  let server: net.Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const srv = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        sockets.add(client);
        sockets.add(upstream);
        const done = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', done).on('close', done);
        upstream.on('error', done).on('close', done);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      srv.once('error', reject);
      srv.listen(listenPort, '127.0.0.1', () => {
        listenPort = (srv.address() as net.AddressInfo).port;
        server = srv;
        resolve();
      });
    });
  const dropConnections = () => {
    for (const s of sockets) s.resetAndDestroy();
    sockets.clear();
  };
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const srv = server;
      server = null;
      if (!srv) return resolve();
      srv.close(() => resolve());
      dropConnections();
    });
  await listen();
  return {
    get port() {
      return listenPort;
    },
    cut: stopListening,
    restore: () => (server ? Promise.resolve() : listen()),
    dropConnections,
    close: stopListening,
  };
}
