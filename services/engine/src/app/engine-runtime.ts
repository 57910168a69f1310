import { createDb, createLogger, createMetricsRegistry, createRedis, type Logger, type Redis, redisReady } from '@switchyard/core';
import { DrainController } from '@switchyard/core/http';
import { CallLogProducer } from '@switchyard/calllog';
import { createOutboundServer, type OutboundServer } from '@switchyard/esl';
import { type CodeFlow, type CompiledFlow, type LookupPort, runFlow } from '@switchyard/ivr';
import type { Registry } from 'prom-client';
import type { EngineConfig } from '../config/engine-config.ts';
import { EslNodeLink } from '../esl/esl-node-link.ts';
import { NodeManager } from '../nodes/node-manager.ts';
import { dbNodeSource, type NodeSource } from '../nodes/node-source.ts';
import { CallOwnership } from '../ownership/call-ownership.ts';
import { engineKeys } from '../ownership/engine-keys.ts';
import { LeaseKeeper } from '../ownership/lease-keeper.ts';
import { EslHealthPublisher } from '../nodes/esl-health-publisher.ts';
import { DidRouteCache } from '../routing/did-route-cache.ts';
import { CallReconciler } from '../session/call-reconciler.ts';
import type { FlowErrorAction } from '../session/call-session.ts';
import type { FlowRunner } from '../session/flow-ports.ts';
import { CallEngine, type CallEngineOptions } from './call-engine.ts';
import { CallMetricsRecorder } from './call-metrics-recorder.ts';
import { registerEngineMetrics } from './engine-metrics.ts';
import { FlowCatalog } from './flow-catalog.ts';
import { engineLookups } from '../lookups/engine-lookups.ts';

/** What tests and benches may swap. */
export interface EngineRuntimeOverrides {
  codeFlows?: Readonly<Record<string, CodeFlow>>;
  nodeSource?: NodeSource;
  logger?: Logger;
  /** Flow runner (default the IVR's `runFlow`). */
  run?: FlowRunner<CompiledFlow>;
  /** Lookups added to (or replacing) the engine's own (`dnc.add`, `account.balance`). */
  lookups?: LookupPort;
}

/** A running engine: every part, for wiring (Nest), ops endpoints and tests. */
export interface EngineRuntime {
  readonly cfg: EngineConfig;
  readonly engine: CallEngine<CompiledFlow>;
  readonly nodes: NodeManager;
  readonly routes: DidRouteCache;
  readonly flows: FlowCatalog;
  readonly ownership: CallOwnership;
  readonly producer: CallLogProducer;
  readonly drain: DrainController;
  readonly registry: Registry;
  readonly redis: Redis;
  readonly log: Logger;
  /** Bound outbound ESL port (0 when disabled). */
  readonly outboundPort: number;
  /** SIGTERM path: stop taking calls, wait up to DRAIN_SECS, end the rest with a logged cause, close. */
  drainAndClose(): Promise<boolean>;
  /** Immediate close (tests). */
  close(): Promise<void>;
}

function errorAction(cfg: EngineConfig): FlowErrorAction {
  return cfg.FLOW_ERROR_ACTION.startsWith('transfer:')
    ? { kind: 'transfer', uri: cfg.FLOW_ERROR_ACTION.slice('transfer:'.length) }
    : { kind: 'apology', file: cfg.APOLOGY_FILE };
}

/**
 * Builds and starts the engine from its config: Redis (commands + subscriber), Postgres,
 * the call-log producer, route and flow caches, ownership lease, node links, the outbound
 * ESL server and the takeover scanner. Plain TypeScript; Nest only hosts it.
 *
 * @example
 * const rt = await startEngineRuntime(loadEngineConfig());
 * process.on('SIGTERM', () => void rt.drainAndClose());
 */
export async function startEngineRuntime(cfg: EngineConfig, over: EngineRuntimeOverrides = {}): Promise<EngineRuntime> {
  const log = over.logger ?? createLogger('engine', cfg.LOG_LEVEL);
  // No auto-pipelining: claims, snapshots, releases and the call log are already one command
  // per turn each (TurnBatch, SnapshotWriter, the producer's batch script); auto-pipelining
  // only wrapped each in an ioredis Pipeline, which young-generation collections then copied.
  const redis = createRedis(cfg.REDIS_URL);
  const sub = createRedis(cfg.REDIS_URL);
  await Promise.all([redisReady(redis), redisReady(sub)]);
  const db = createDb(cfg.DATABASE_URL);
  const keys = engineKeys(cfg.REDIS_PREFIX);
  const warn = (what: string) => (err: unknown) => log.warn({ err: String(err) }, what);

  const ownership = new CallOwnership({ redis, keys, engineId: cfg.ENGINE_ID, leaseMs: cfg.CALL_LEASE_MS, snapshotTtlSecs: cfg.CALL_SNAPSHOT_TTL_SECS });
  const producer = new CallLogProducer({ redis, stream: keys.callLogStream(), spoolDir: `${cfg.SWITCHYARD_DATA_DIR}/calllog-spool-${cfg.ENGINE_ID}`, onError: warn('call-log') });
  await producer.start();
  const routes = new DidRouteCache({ db, subscriber: sub, channel: keys.routesChanged(), onError: warn('route reload failed') });
  await routes.start();
  const flows = new FlowCatalog({ codeFlows: over.codeFlows ?? {}, db, subscriber: sub, channel: keys.flowsChanged(), onError: warn('flow reload failed') });
  await flows.start();
  const drain = new DrainController();
  const lookups = engineLookups(db, { timeoutMs: cfg.LOOKUP_TIMEOUT_MS, ...(over.lookups ? { extra: over.lookups } : {}) });
  const registry = createMetricsRegistry('engine');
  let nodes: NodeManager | undefined;
  const engine = buildEngine(cfg, { ownership, routes, flows, producer, drain, log, lookups, run: over.run ?? runFlow, metrics: new CallMetricsRecorder(registry) });
  registerEngineMetrics(registry, {
    nodes: () => nodes?.health() ?? [],
    stats: () => engine.stats,
    active: () => engine.activeCalls,
    stuck: () => engine.stuckCalls(cfg.STUCK_CALL_SECS * 1000),
  });
  const lease = new LeaseKeeper(ownership, cfg.CALL_LEASE_MS, () => engine.dropLostCalls(), warn('lease renewal failed'));
  await lease.start();

  const reconciler = new CallReconciler({ engine, ownership, link: (n) => nodes?.get(n), calllog: producer, engineId: cfg.ENGINE_ID, warn: (o, m) => log.warn(o, m) });
  nodes = buildNodes(cfg, { engine, reconciler, source: over.nodeSource ?? dbNodeSource(db), sub, channel: keys.fleetChanged(), log });
  engine.attachNodes(nodes);
  await nodes.start();
  const takeoverTimer = setInterval(() => void reconciler.scan(), cfg.TAKEOVER_SCAN_MS);
  const eslHealth = new EslHealthPublisher({ redis, view: nodes, key: keys.nodeEslUp, everyMs: cfg.ESL_HEALTH_PUBLISH_MS, onError: warn('esl health publish failed') });
  eslHealth.start();
  const outbound = cfg.ENGINE_OUTBOUND_PORT > 0 ? await startOutbound(cfg, engine, log) : undefined;

  const nm = nodes;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      lease.stop();
      eslHealth.stop();
      clearInterval(takeoverTimer);
      routes.stop();
      await outbound?.close(0);
      await nm.close();
      if (engine.activeCalls === 0) await ownership.leave().catch(() => {});
      await producer.close().catch(() => {});
      sub.disconnect();
      redis.disconnect();
      await db.destroy();
    })());
  const drainAndClose = async () => {
    drain.begin();
    log.info({ calls: engine.activeCalls, drainSecs: cfg.DRAIN_SECS }, 'draining');
    const idle = await drain.waitIdle(cfg.DRAIN_SECS * 1000);
    if (!idle) {
      log.warn({ calls: engine.activeCalls }, 'drain deadline: ending the remaining calls');
      await engine.terminateAll('SYSTEM_SHUTDOWN');
      await drain.waitIdle(7_000);
    }
    await close();
    return idle;
  };
  const outboundPort = outbound?.port ?? 0;
  return { cfg, engine, nodes: nm, routes, flows, ownership, producer, drain, registry, redis, log, outboundPort, close, drainAndClose };
}

/** The hot-path object, from config and the shared services. */
function buildEngine(
  cfg: EngineConfig,
  d: Pick<CallEngineOptions<CompiledFlow>, 'ownership' | 'routes' | 'flows' | 'drain' | 'log' | 'run' | 'lookups' | 'metrics'> & { producer: CallLogProducer },
): CallEngine<CompiledFlow> {
  return new CallEngine<CompiledFlow>({
    engineId: cfg.ENGINE_ID,
    ownership: d.ownership,
    routes: d.routes,
    flows: d.flows,
    run: d.run,
    ...(d.lookups ? { lookups: d.lookups } : {}),
    ...(d.metrics ? { metrics: d.metrics } : {}),
    calllog: d.producer,
    drain: d.drain,
    log: d.log,
    maxCalls: cfg.MAX_CALLS,
    appTimeoutMs: cfg.ESL_APP_TIMEOUT_MS,
    commandTimeoutMs: cfg.ESL_COMMAND_TIMEOUT_MS,
    defaultFlowId: cfg.DEFAULT_FLOW_ID || undefined,
    errorAction: errorAction(cfg),
    transferContext: cfg.TRANSFER_CONTEXT,
    ...(cfg.ENGINE_OUTBOUND_PORT > 0 ? { outboundSocket: { host: cfg.ENGINE_OUTBOUND_HOST, port: cfg.ENGINE_OUTBOUND_PORT } } : {}),
  });
}

/** One ESL link per fleet node, reconciled after every reconnect. */
function buildNodes(
  cfg: EngineConfig,
  d: { engine: CallEngine<CompiledFlow>; reconciler: CallReconciler; source: NodeSource; sub: Redis; channel: string; log: Logger },
): NodeManager {
  const { engine, log } = d;
  return new NodeManager({
    source: d.source,
    factory: (spec, h) =>
      new EslNodeLink(spec, h, {
        password: cfg.ESL_PASSWORD,
        commandTimeoutMs: cfg.ESL_COMMAND_TIMEOUT_MS,
        onWarning: (node, err) => {
          engine.stats.eslWarnings++;
          log.warn({ node, err: err.message }, 'ESL warning');
        },
      }),
    handlers: engine.nodeHandlers({ onUp: (n, re) => void (re && d.reconciler.afterReconnect(n)) }),
    callsOn: (n) => engine.registry.countOn(n),
    pollMs: cfg.NODE_POLL_MS,
    subscriber: d.sub,
    channel: d.channel,
    onError: (err) => log.warn({ err: String(err) }, 'node sync failed'),
  });
}

/** The outbound ESL server the `socket` dialplan app connects to. */
function startOutbound(cfg: EngineConfig, engine: CallEngine<CompiledFlow>, log: Logger): Promise<OutboundServer> {
  return createOutboundServer({
    host: cfg.ENGINE_OUTBOUND_HOST,
    port: cfg.ENGINE_OUTBOUND_PORT,
    commandTimeoutMs: cfg.ESL_COMMAND_TIMEOUT_MS,
    maxConnections: cfg.MAX_CALLS,
    onConnection: (oc) => engine.onOutboundConnection(oc),
    onWarning: (err) => log.warn({ err: err.message }, 'outbound ESL warning'),
  });
}
