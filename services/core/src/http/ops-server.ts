import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpsHandler, type OpsHandlerOptions } from './ops-handler.ts';

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * A small HTTP server answering only `/metrics`, `/health` and `/ready`, for services that
 * have no HTTP API of their own (engine, recorder, dialer).
 *
 * @example
 * const ops = await startOpsServer({ registry, drain, checks, port: 9101 });
 */
export async function startOpsServer(
  opts: OpsHandlerOptions & { port: number; host?: string },
): Promise<OpsServer> {
  const handle = createOpsHandler(opts);
  const server = createServer((req, res) => {
    handle(req, res)
      .then((done) => {
        if (!done) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'not_found', message: 'only /metrics, /health, /ready' } }));
        }
      })
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal', message: String(err) } }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
