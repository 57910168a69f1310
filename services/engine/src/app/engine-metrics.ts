import { callMetrics, eslMetrics } from '@switchyard/core/http';
import { Gauge, type Registry } from 'prom-client';
import type { NodeHealth } from '../nodes/node-health.ts';
import type { EngineStats } from '../session/engine-stats.ts';

/** Registers the engine's gauges; values are read at scrape time (nothing on the call path). */
export function registerEngineMetrics(registry: Registry, read: { nodes(): NodeHealth[]; stats(): EngineStats; active(): number; stuck(): number }): void {
  // Registered first: its collect() fills the shared per-node gauges before they are serialised.
  let calls: ReturnType<typeof callMetrics> | undefined;
  let esl: ReturnType<typeof eslMetrics> | undefined;
  new Gauge({
    name: 'switchyard_engine_calls_active',
    help: 'Calls this engine drives',
    registers: [registry],
    collect() {
      this.set(read.active());
      calls?.stuck.set(read.stuck());
      for (const n of read.nodes()) {
        calls?.channels.set({ node: n.node }, n.calls);
        esl?.connected.set({ node: n.node }, n.eslConnected ? 1 : 0);
      }
    },
  });
  calls = callMetrics(registry);
  esl = eslMetrics(registry);
  new Gauge({
    name: 'switchyard_engine_events_total',
    help: 'Engine counters (dropped events, rejections, takeovers...) by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      for (const [k, v] of Object.entries(read.stats())) this.set({ kind: k }, v);
    },
  });
}
