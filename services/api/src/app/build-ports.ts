import type { Database, Kysely, Logger, Redis, RedisKeys, Registry } from '@switchyard/core';
import { AllowList, asFleetDb, FleetManager, FloodControl, KamailioRpcClient, registerEdgeMetrics } from '@switchyard/fleet';
import { trackDispatcherStates } from '../fleet/dispatcher-state-metrics.ts';
import { ivrFlowPort } from '../flows/ivr-flow-port.ts';
import { calllogCallsPort } from '../calls/calllog-calls-port.ts';
import { dialerCampaignPort, isDialerLibrary } from '../campaigns/dialer-campaign-port.ts';
import { RedisNodeHealth } from '../fleet/redis-node-health.ts';
import type { ApiPorts } from './api-ports.ts';

export interface PortDeps {
  db: Kysely<Database>;
  redis: Redis;
  /** A new Redis connection (for blocking reads). */
  newRedis: () => Redis;
  keys: RedisKeys;
  redisPrefix: string;
  log: Logger;
  /** Kamailio's JSON-RPC URL; fleet and edge routes need it. */
  kamailioRpcUrl: string;
  /** How long a Kamailio change keeps retrying while Kamailio is away. */
  kamailioRetryMs?: number;
  /**
   * Run the node lifecycle here (probing → active, drains completing): the API hosts the
   * fleet module, so exactly one API instance should; 0 turns it off.
   */
  fleetTickMs?: number;
  /** How long a node's ESL health key must stay missing before the fleet demotes it (default 15 s). */
  eslDownGraceMs?: number;
  /** How often node health is read from Redis. */
  healthRefreshMs?: number;
  /** When given, edge counters and dispatcher states are exported on it. */
  registry?: Registry;
  /** The dialer library module (default: `import('@switchyard/dialer')`). */
  dialerLibrary?: Record<string, unknown>;
}

export interface BuiltPorts {
  ports: ApiPorts;
  /** Stops timers the ports started. */
  stop(): Promise<void>;
}

/**
 * Builds the ports from the domain libraries that have landed. Campaigns mount only when
 * `@switchyard/dialer` exports its campaign service (checked at start-up).
 */
export async function buildPorts(d: PortDeps): Promise<BuiltPorts> {
  const dialer = d.dialerLibrary ?? ((await import('@switchyard/dialer')) as Record<string, unknown>);
  const rpc = new KamailioRpcClient({ url: d.kamailioRpcUrl, retryForMs: d.kamailioRetryMs ?? 5_000 });
  const fleetDb = asFleetDb(d.db);
  const health = new RedisNodeHealth(d.redis, {
    channels: d.keys.nodeChannels,
    eslUp: d.keys.nodeEslUp,
  }, { downGraceMs: d.eslDownGraceMs, log: d.log });
  health.start(d.healthRefreshMs ?? 2_000);
  const fleet = new FleetManager({ db: fleetDb, rpc, esl: health, calls: health, log: d.log, rpcRetryForMs: d.kamailioRetryMs });
  if ((d.fleetTickMs ?? 2_000) > 0) {
    void fleet.reconcile().catch((err: Error) => d.log.warn({ err: err.message }, 'fleet reconcile failed; the ticker retries'));
    fleet.start(d.fleetTickMs ?? 2_000);
  }
  const flood = new FloodControl(rpc);
  let stopStates = () => {};
  if (d.registry) {
    registerEdgeMetrics(d.registry, flood);
    stopStates = trackDispatcherStates(d.registry, fleet);
  }
  return {
    ports: {
      fleet,
      edge: { allow: new AllowList(fleetDb, rpc, d.log), flood },
      flows: ivrFlowPort(d.db),
      ...(isDialerLibrary(dialer) ? { campaigns: dialerCampaignPort(dialer, d.db, { redis: d.redis, key: d.keys.campaignProgress }) } : {}),
      calls: calllogCallsPort({ db: d.db, redisForTail: d.newRedis, stream: d.keys.callLogStream() }),
    },
    async stop() {
      health.stop();
      stopStates();
      await fleet.stop();
    },
  };
}
