import { type OpsServer, type ReadinessCheck, startOpsServer } from '@switchyard/core/http';
import type { EngineRuntime } from './engine-runtime.ts';

/** Readiness: Redis answers and at least one node's ESL link is up (a node is ready only then). */
export function engineReadinessChecks(rt: EngineRuntime): ReadinessCheck[] {
  return [
    {
      name: 'redis',
      async check() {
        await rt.redis.ping();
      },
    },
    {
      name: 'esl',
      async check() {
        const h = rt.nodes.health().filter((n) => !n.leaving);
        if (!h.some((n) => n.ready)) throw new Error(h.length ? `no node ESL up (${h.map((n) => n.node).join(', ')})` : 'no nodes in the fleet');
      },
    },
  ];
}

/** `/metrics`, `/health` (200 while draining) and `/ready` (503 while draining) on the engine's ops port. */
export function startEngineOps(rt: EngineRuntime): Promise<OpsServer> {
  return startOpsServer({
    registry: rt.registry,
    drain: rt.drain,
    checks: engineReadinessChecks(rt),
    port: rt.cfg.ENGINE_HTTP_PORT,
    host: rt.cfg.ENGINE_HTTP_HOST,
  });
}
