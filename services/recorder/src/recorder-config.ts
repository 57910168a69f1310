import os from 'node:os';
import { baseConfigSchema } from '@switchyard/core';
import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** The recorder's environment: base settings plus RECORDER_* keys. */
export const recorderConfigSchema = baseConfigSchema.extend({
  /** Redis key prefix shared with the producers (redisKeys(prefix)). */
  SWITCHYARD_REDIS_PREFIX: z.string().default('sy:'),
  RECORDER_GROUP: z.string().min(1).default('recorder'),
  /** Keep stable per replica (e.g. the pod name) so a restart re-reads its own pending entries. */
  RECORDER_CONSUMER: z.string().min(1).default(`${os.hostname()}-${process.pid}`),
  /** Consumers in this process (named `<RECORDER_CONSUMER>-<i>` when more than one). */
  RECORDER_CONCURRENCY: int(2, 1),
  RECORDER_BATCH_SIZE: int(2_000, 1),
  RECORDER_BATCH_WAIT_MS: int(100),
  RECORDER_CLAIM_IDLE_MS: int(30_000, 1_000),
  /** A leg with no hang-up and no event for this long is closed as lost. */
  RECORDER_LOST_AFTER_S: int(6 * 3600, 1),
  RECORDER_RECONCILE_EVERY_S: int(60, 1),
  /** Stream trim and lag metrics. */
  RECORDER_JANITOR_EVERY_S: int(10, 1),
  /** How often touched 5-minute KPI buckets are recomputed (rollup freshness). */
  RECORDER_ROLLUP_EVERY_S: int(10, 1),
  /** 0 keeps every partition. */
  RECORDER_RETENTION_DAYS: int(0),
  /** /metrics, /health; 0 = no HTTP listener. */
  RECORDER_METRICS_PORT: int(0),
  /** Bind address of the ops listener (0.0.0.0 in containers so Prometheus can scrape it). */
  RECORDER_METRICS_HOST: z.string().default('127.0.0.1'),
});
export type RecorderConfig = z.infer<typeof recorderConfigSchema>;
