import { type DrainController, drainMetrics, type OpsServer, pingCheck, type ReadinessCheck, startOpsServer } from '@switchyard/core/http';
import { sql } from 'kysely';
import type { DialerResources } from '../nest/dialer-module.ts';
import type { DialerRunner } from '../runner/dialer-runner.ts';

/** Readiness: Postgres and Redis answer, and at least one node's ESL link is up (nothing can be dialled otherwise). */
export function dialerReadinessChecks(res: DialerResources): ReadinessCheck[] {
  return [
    pingCheck('postgres', () => sql`select 1`.execute(res.db)),
    pingCheck('redis', () => res.redis.ping()),
    {
      name: 'esl',
      async check() {
        if (res.esl.ready().length === 0) throw new Error('no node ESL connection up');
      },
    },
  ];
}

/**
 * `/metrics`, `/health` (200 even while draining) and `/ready` (503 while draining or a
 * dependency is down) on the dialer's ops port.
 *
 * @example
 * const ops = await startDialerOps(built, drain, { port: 9104 });
 */
export function startDialerOps(
  built: { runner: DialerRunner; resources: DialerResources },
  drain: DrainController,
  at: { port: number; host?: string },
): Promise<OpsServer> {
  drainMetrics(built.resources.registry, () => ({ draining: drain.draining, inFlight: built.runner.inFlight }));
  return startOpsServer({ registry: built.resources.registry, drain, checks: dialerReadinessChecks(built.resources), port: at.port, host: at.host });
}
