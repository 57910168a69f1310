import { Gauge, type Registry } from 'prom-client';
import type { CallLogProducer } from './call-log-producer.ts';

/**
 * Exposes a producer's counters on a Prometheus registry (read at scrape time, nothing on
 * the append path): `calllog_producer_events{state="appended|invalid|dropped|sent|spooled|replayed"}`,
 * `calllog_producer_buffered`, `calllog_producer_spool_bytes`, `calllog_producer_spooling`.
 *
 * @example
 * registerProducerMetrics(registry, producer);
 */
export function registerProducerMetrics(registry: Registry, producer: CallLogProducer): void {
  const registers = [registry];
  new Gauge({
    name: 'calllog_producer_events',
    help: 'Call-log events by outcome since start',
    labelNames: ['state'],
    registers,
    collect() {
      const s = producer.stats();
      for (const [state, v] of Object.entries({
        appended: s.appended,
        invalid: s.invalid,
        dropped: s.dropped,
        sent: s.sentToRedis,
        spooled: s.spooled,
        replayed: s.replayed,
      })) {
        this.set({ state }, v);
      }
    },
  });
  new Gauge({
    name: 'calllog_producer_buffered',
    help: 'Events waiting in memory',
    registers,
    collect() {
      this.set(producer.stats().buffered);
    },
  });
  new Gauge({
    name: 'calllog_producer_spool_bytes',
    help: 'Bytes held in the local spool',
    registers,
    collect() {
      this.set(producer.stats().spoolBytes);
    },
  });
  new Gauge({
    name: 'calllog_producer_spooling',
    help: '1 while events go to the local spool (Redis away or spool replaying)',
    registers,
    collect() {
      this.set(producer.stats().mode === 'spool' ? 1 : 0);
    },
  });
}
