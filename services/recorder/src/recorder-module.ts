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
  consumerRedis: Redis;
  commandRedis: Redis;
  registry: Registry;
}

/** Builds the plain objects from config (no Nest involved; tests may call it directly). */
export function buildRecorder(cfg: RecorderConfig): { recorder: Recorder; resources: RecorderResources } {
  const logger = createLogger('recorder', cfg.LOG_LEVEL);
  const registry = createMetricsRegistry('recorder');
  const metrics = createRecorderMetrics(registry);
  const db = createDb(cfg.DATABASE_URL);
  const keys = redisKeys(cfg.SWITCHYARD_REDIS_PREFIX);
  const consumerRedis = createRedis(cfg.REDIS_URL);
  const commandRedis = createRedis(cfg.REDIS_URL);
  for (const r of [consumerRedis, commandRedis]) r.on('error', (err) => logger.debug({ err: String(err) }, 'redis'));
  const rollup = new KpiRollupKeeper({ db, logger });
  const consumer = new CallLogConsumer({
    redis: consumerRedis,
    commandRedis,
    writer: new LegWriter(db),
    stream: keys.callLogStream(),
    deadLetter: keys.callLogDeadLetter(),
    group: cfg.RECORDER_GROUP,
    consumer: cfg.RECORDER_CONSUMER,
    batchSize: cfg.RECORDER_BATCH_SIZE,
    batchWaitMs: cfg.RECORDER_BATCH_WAIT_MS,
    claimIdleMs: cfg.RECORDER_CLAIM_IDLE_MS,
    logger,
    metrics,
    onCommitted: (started) => rollup.mark(started),
  });
  const recorder = new Recorder({
    consumer,
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
  return { recorder, resources: { db, consumerRedis, commandRedis, registry } };
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
    this.res.consumerRedis.disconnect();
    this.res.commandRedis.disconnect();
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
