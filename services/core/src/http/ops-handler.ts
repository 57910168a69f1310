import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { DrainController } from './drain-controller.ts';
import { type ReadinessCheck, runReadinessChecks } from './readiness.ts';

export interface OpsHandlerOptions {
  registry: Registry;
  drain: DrainController;
  checks?: readonly ReadinessCheck[];
  /** Per-check timeout for `/ready`. */
  checkTimeoutMs?: number;
}

/** The three paths every Switchyard service answers, whatever else it serves. */
export const OPS_PATHS = ['/metrics', '/health', '/ready'] as const;

/**
 * A plain Node handler for `/metrics`, `/health` and `/ready`. It returns `false` for any
 * other path so it can sit in front of Express/Nest (as middleware) or alone in a tiny
 * server ({@link startOpsServer}).
 *
 * - `/health` is liveness: 200 while the event loop answers, draining or not.
 * - `/ready` is readiness: 503 while draining or when any dependency check fails.
 *
 * @example
 * app.use((req, res, next) => void handleOps(req, res).then((done) => done || next()));
 */
export function createOpsHandler(opts: OpsHandlerOptions) {
  const { registry, drain, checks = [], checkTimeoutMs = 1_000 } = opts;
  return async function handleOps(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/health') {
      sendJson(res, 200, { status: 'ok', draining: drain.draining, inFlight: drain.inFlight });
      return true;
    }
    if (path === '/ready') {
      // Draining answers at once without touching dependencies: the balancer must see it now.
      if (drain.draining) {
        sendJson(res, 503, { ready: false, draining: true, checks: {} });
        return true;
      }
      const report = await runReadinessChecks(checks, drain.draining, checkTimeoutMs);
      sendJson(res, report.ready ? 200 : 503, report);
      return true;
    }
    if (path === '/metrics') {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(body);
      return true;
    }
    return false;
  };
}
export type OpsHandler = ReturnType<typeof createOpsHandler>;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
