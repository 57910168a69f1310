import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Database, Kysely, Logger, Redis, Registry } from '@switchyard/core';
import { createOpsHandler, type DrainController, drainMetrics, httpMetrics, type ReadinessCheck } from '@switchyard/core/http';
import { AuditLog } from '../audit/audit-log.ts';
import { RateLimiter } from '../auth/rate-limiter.ts';
import { TokenRepository } from '../auth/token-repository.ts';
import { ErrorFilter } from '../http/error-filter.ts';
import type { ApiRequest } from '../http/request-context.ts';
import type { ApiPorts } from './api-ports.ts';
import { ApiModule } from './api-module.ts';

export interface ApiAppDeps {
  db: Kysely<Database>;
  redis: Redis;
  /** Redis key for a token's rate-limit window. */
  rateLimitKey: (tokenId: string) => string;
  log: Logger;
  registry: Registry;
  drain: DrainController;
  checks: ReadinessCheck[];
  ports?: ApiPorts;
  rateLimit?: { perWindow: number; windowMs: number };
}

export interface ApiApp {
  app: INestApplication;
  server: Server;
  /** Listens on `port` (0 = any free port) and resolves the bound port. */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Builds the API: ops paths (`/metrics`, `/health`, `/ready`) ahead of everything, request
 * metrics and in-flight tracking for the drain, then the Nest app with auth, validation and
 * the one error shape.
 *
 * @example
 * const api = await createApiApp(deps); await api.listen(8080);
 */
export async function createApiApp(deps: ApiAppDeps): Promise<ApiApp> {
  const { perWindow, windowMs } = deps.rateLimit ?? { perWindow: 600, windowMs: 60_000 };
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.forRoot({
      tokens: new TokenRepository(deps.db),
      audit: new AuditLog(deps.db),
      limiter: new RateLimiter(deps.redis, deps.rateLimitKey, perWindow, windowMs),
      ports: deps.ports ?? {},
      drain: deps.drain,
    }),
    { logger: false, bodyParser: false },
  );
  const ops = createOpsHandler({ registry: deps.registry, drain: deps.drain, checks: deps.checks });
  const http = httpMetrics(deps.registry);
  drainMetrics(deps.registry, () => ({ draining: deps.drain.draining, inFlight: deps.drain.inFlight }));

  app.use((req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    ops(req, res).then((done) => {
      if (done) return;
      const release = deps.drain.track();
      const end = http.duration.startTimer();
      res.once('close', () => {
        release();
        const route = (req as ApiRequest).routeSpec?.path ?? 'unmatched';
        end({ method: req.method, route });
        http.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    }, next);
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.useGlobalFilters(new ErrorFilter(deps.log));
  app.disable('x-powered-by');
  await app.init();
  const server = app.getHttpServer() as Server;
  return {
    app,
    server,
    async listen(port, host = '127.0.0.1') {
      await app.listen(port, host);
      return (server.address() as AddressInfo).port;
    },
    close: () => app.close(),
  };
}
