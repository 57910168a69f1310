import { type DynamicModule, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  createDb,
  createLogger,
  createMetricsRegistry,
  createRedis,
  type Kysely,
  type Database,
  type Redis,
  redisKeys,
  type Registry,
} from '@switchyard/core';
import { CallLogConsumer } from './call-log-consumer.ts';
import { KpiRollupKeeper } from './kpi-rollup-keeper.ts';
import { LegWriter } from './leg-writer.ts';
import { LostLegReconciler } from './lost-leg-reconciler.ts';
import { PartitionKeeper } from './partition-keeper.ts';
import { Recorder } from './recorder.ts';
import type { RecorderConfig } from './recorder-config.ts';
import { createRecorderMetrics } from './recorder-metrics.ts';
import { StreamJanitor } from './stream-janitor.ts';

export const RECORDER = Symbol('Recorder');
export const RECORDER_RESOURCES = Symbol('RecorderResources');

/** Connections the recorder owns and closes on shutdown. */
export interface RecorderResources {
  db: Kysely<Database>;
  redis: Redis[];
  registry: Registry;
}

/** Builds the plain objects from config (no Nest involved; tests may call it directly). */
export function buildRecorder(cfg: RecorderConfig): { recorder: Recorder; resources: RecorderResources } {
  const logger = createLogger('recorder', cfg.LOG_LEVEL);
  const registry = createMetricsRegistry('recorder');
  const metrics = createRecorderMetrics(registry);
  const db = createDb(cfg.DATABASE_URL);
  const keys = redisKeys(cfg.SWITCHYARD_REDIS_PREFIX);
  const commandRedis = createRedis(cfg.REDIS_URL);
  const consumerRedis: Redis[] = [];
  const rollup = new KpiRollupKeeper({ db, logger });
  const writer = new LegWriter(db);
  const consumers = Array.from({ length: cfg.RECORDER_CONCURRENCY }, (_, i) => {
    const redis = createRedis(cfg.REDIS_URL);
    consumerRedis.push(redis);
    return new CallLogConsumer({
      redis,
      commandRedis,
      writer,
      stream: keys.callLogStream(),
      deadLetter: keys.callLogDeadLetter(),
      group: cfg.RECORDER_GROUP,
      // Stable names: a restarted recorder re-reads each slot's own pending entries.
      consumer: cfg.RECORDER_CONCURRENCY === 1 ? cfg.RECORDER_CONSUMER : `${cfg.RECORDER_CONSUMER}-${i}`,
      batchSize: cfg.RECORDER_BATCH_SIZE,
      batchWaitMs: cfg.RECORDER_BATCH_WAIT_MS,
      claimIdleMs: cfg.RECORDER_CLAIM_IDLE_MS,
      logger,
      metrics,
      onCommitted: (started) => rollup.mark(started),
    });
  });
  for (const r of [commandRedis, ...consumerRedis]) r.on('error', (err) => logger.debug({ err: String(err) }, 'redis'));
  const recorder = new Recorder({
    consumers,
    janitor: new StreamJanitor({ redis: commandRedis, stream: keys.callLogStream(), metrics, logger }),
    reconciler: new LostLegReconciler({
      db,
      lostAfterMs: cfg.RECORDER_LOST_AFTER_S * 1000,
      metrics,
      onClosed: (started) => rollup.mark(started),
    }),
    rollup,
    rollupEveryMs: cfg.RECORDER_ROLLUP_EVERY_S * 1000,
    partitions: new PartitionKeeper(db, { retentionDays: cfg.RECORDER_RETENTION_DAYS }),
    janitorEveryMs: cfg.RECORDER_JANITOR_EVERY_S * 1000,
    reconcileEveryMs: cfg.RECORDER_RECONCILE_EVERY_S * 1000,
    logger,
  });
  return { recorder, resources: { db, redis: [commandRedis, ...consumerRedis], registry } };
}

/** Starts the recorder when Nest boots and drains it, then closes connections, on shutdown. */
class RecorderLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly recorder: Recorder,
    private readonly res: RecorderResources,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.recorder.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.recorder.stop();
    for (const r of this.res.redis) r.disconnect();
    await this.res.db.destroy();
  }
}

/** Nest only wires: the recorder and its connections are built by {@link buildRecorder}. */
@Module({})
export class RecorderModule {
  static forRoot(built: ReturnType<typeof buildRecorder>): DynamicModule {
    return {
      module: RecorderModule,
      providers: [
        { provide: RECORDER, useValue: built.recorder },
        { provide: RECORDER_RESOURCES, useValue: built.resources },
        // A factory, not a decorated class: no parameter decorators, no reflected metadata needed.
        {
          provide: RecorderLifecycle,
          useFactory: (r: Recorder, res: RecorderResources) => new RecorderLifecycle(r, res),
          inject: [RECORDER, RECORDER_RESOURCES],
        },
      ],
      exports: [RECORDER],
    };
  }
}
