import path from 'node:path';
import { type DynamicModule, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CallLogProducer } from '@switchyard/calllog';
import { createDb, createLogger, createMetricsRegistry, createRedis, type Redis, type Registry, redisKeys } from '@switchyard/core';
import { asDialerDb, type DialerDb } from '../db/dialer-schema.ts';
import type { DialerConfig } from '../dialer-config.ts';
import { DialerService } from '../dialer-service.ts';
import { EslSwitch } from '../esl/esl-switch.ts';
import { pgNodeSource } from '../esl/pg-node-source.ts';
import { promDialerMetrics } from '../ops/prom-dialer-metrics.ts';
import { RedisRateLimiter } from '../pacing/redis-rate-limiter.ts';
import { LiveProgressStore } from '../progress/live-progress-store.ts';
import { callLogAttemptLog } from '../runner/calllog-attempt-log.ts';
import { DialerRunner } from '../runner/dialer-runner.ts';
import { EngineHandoffWatcher } from '../runner/engine-handoff-watcher.ts';
import type { AnsweredPort } from '../runner/switch-port.ts';

/** Injection tokens. */
export const DIALER_SERVICE = Symbol('DialerService');
export const DIALER_RUNNER = Symbol('DialerRunner');
const DIALER_RESOURCES = Symbol('DialerResources');

/** Connections the dialer owns and closes on shutdown. */
export interface DialerResources {
  db: DialerDb;
  redis: Redis;
  esl: EslSwitch;
  callLog: CallLogProducer;
  registry: Registry;
  handoff?: EngineHandoffWatcher;
}

/**
 * Builds the plain objects from config (Nest only wires them). Answered calls are handed
 * to the engine (`DIALER_HANDOFF=engine`: wait for its marker in Redis) unless `onAnswered`
 * is given or `DIALER_HANDOFF=none` (treated as connected at once).
 */
export function buildDialer(cfg: DialerConfig, opts: { onAnswered?: AnsweredPort } = {}) {
  const logger = createLogger('dialer', cfg.LOG_LEVEL);
  const registry = createMetricsRegistry('dialer');
  const db = asDialerDb(createDb(cfg.DATABASE_URL));
  const redis = createRedis(cfg.REDIS_URL);
  redis.on('error', (err) => logger.debug({ err: String(err) }, 'redis'));
  const keys = redisKeys(cfg.DIALER_REDIS_PREFIX);
  const live = new LiveProgressStore(redis, keys.campaignProgress);
  const metrics = promDialerMetrics(registry);
  const esl = new EslSwitch({
    password: cfg.DIALER_ESL_PASSWORD,
    logger,
    jobTimeoutMs: (cfg.DIALER_ORIGINATE_TIMEOUT_SEC + 10) * 1000,
    onLink: (node, up, reconnect) => metrics.eslLink(node, up, reconnect),
  });
  const callLog = new CallLogProducer({
    redis,
    stream: keys.callLogStream(),
    spoolDir: path.join(cfg.SWITCHYARD_DATA_DIR, `calllog-spool-dialer-${cfg.DIALER_ID}`),
    onError: (err) => logger.warn({ err }, 'call log'),
  });
  const handoff = cfg.DIALER_HANDOFF === 'engine' && !opts.onAnswered ? new EngineHandoffWatcher(redis, { key: keys.callHandoff }) : undefined;
  const runner = new DialerRunner({
    dialerId: cfg.DIALER_ID,
    db,
    switch: esl,
    nodes: pgNodeSource(db, esl),
    logger,
    onAnswered: opts.onAnswered ?? handoff?.port,
    attemptLog: callLogAttemptLog(callLog),
    metrics,
    liveStore: live,
    sharedLimiter: new RedisRateLimiter(redis, `${cfg.DIALER_REDIS_PREFIX}dialer:rate:`),
    trunkCps: cfg.DIALER_TRUNK_CPS,
    originateTimeoutSec: cfg.DIALER_ORIGINATE_TIMEOUT_SEC,
    originateApp: cfg.DIALER_ORIGINATE_APP,
    dialString: (c, phone) => cfg.DIALER_DIAL_STRING.replaceAll('{gateway}', c.gateway).replaceAll('{number}', phone),
  });
  const service = new DialerService(db, live);
  return { service, runner, resources: { db, redis, esl, callLog, registry, ...(handoff ? { handoff } : {}) } satisfies DialerResources };
}

/** Starts the runner when Nest boots; on shutdown drains calls in flight, then closes connections. */
class DialerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: DialerRunner,
    private readonly res: DialerResources,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.res.callLog.start();
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop(30_000);
    this.res.handoff?.close();
    await this.res.esl.close();
    await this.res.callLog.close();
    this.res.redis.disconnect();
    await this.res.db.destroy();
  }
}

/**
 * Nest wiring for the dialer. `forRoot(buildDialer(cfg))` runs the pacer loop in this process;
 * `forService(service)` exposes only the DialerService (e.g. inside the API process).
 */
@Module({})
export class DialerModule {
  static forRoot(built: ReturnType<typeof buildDialer>): DynamicModule {
    return {
      module: DialerModule,
      providers: [
        { provide: DIALER_SERVICE, useValue: built.service },
        { provide: DIALER_RUNNER, useValue: built.runner },
        { provide: DIALER_RESOURCES, useValue: built.resources },
        {
          provide: DialerLifecycle,
          useFactory: (r: DialerRunner, res: DialerResources) => new DialerLifecycle(r, res),
          inject: [DIALER_RUNNER, DIALER_RESOURCES],
        },
      ],
      exports: [DIALER_SERVICE, DIALER_RUNNER],
    };
  }

  static forService(service: DialerService): DynamicModule {
    return { module: DialerModule, providers: [{ provide: DIALER_SERVICE, useValue: service }], exports: [DIALER_SERVICE] };
  }
}
