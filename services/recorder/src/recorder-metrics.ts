import { Counter, Gauge, Histogram, type Registry } from '@switchyard/core';

/** The recorder's Prometheus metrics. */
export interface RecorderMetrics {
  events: Counter;
  deadLettered: Counter;
  claimed: Counter;
  writeRetries: Counter;
  batchSeconds: Histogram;
  /** Entries in the stream not yet delivered to the group (Redis' own `lag`). */
  lag: Gauge;
  /** Delivered but not yet acknowledged. */
  pending: Gauge;
  streamLength: Gauge;
  lostLegs: Counter;
}

/** Registers the recorder metrics on `registry`. */
export function createRecorderMetrics(registry: Registry): RecorderMetrics {
  const registers = [registry];
  return {
    events: new Counter({ name: 'calllog_recorder_events_total', help: 'Stream entries written and acknowledged', registers }),
    deadLettered: new Counter({ name: 'calllog_recorder_dead_letter_total', help: 'Entries sent to the dead-letter stream', registers }),
    claimed: new Counter({ name: 'calllog_recorder_claimed_total', help: 'Entries claimed from dead consumers', registers }),
    writeRetries: new Counter({ name: 'calllog_recorder_write_retries_total', help: 'Failed batch writes retried', registers }),
    batchSeconds: new Histogram({
      name: 'calllog_recorder_batch_seconds',
      help: 'Time to write and acknowledge one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    lag: new Gauge({ name: 'calllog_recorder_lag', help: 'Stream entries not yet delivered to the recorder group', registers }),
    pending: new Gauge({ name: 'calllog_recorder_pending', help: 'Entries delivered but not acknowledged', registers }),
    streamLength: new Gauge({ name: 'calllog_stream_length', help: 'Entries held in the call-log stream', registers }),
    lostLegs: new Counter({ name: 'calllog_recorder_lost_legs_total', help: 'Legs closed as lost by the reconciler', registers }),
  };
}
