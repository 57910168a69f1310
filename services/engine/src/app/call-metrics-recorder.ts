import { callMetrics } from '@switchyard/core/http';
import type { Registry } from 'prom-client';
import type { CallEnd, CallMetricsPort } from '../session/call-outcome.ts';

type Metrics = ReturnType<typeof callMetrics>;
interface Observer {
  observe(v: number): void;
}

/**
 * Feeds the platform's call metrics from the engine's call path: counters and histograms
 * only, updated in memory (the scrape reads them). Labelled children are looked up once
 * per label value; every label set is bounded (directions × dispositions, fleet nodes,
 * the driver's few apps).
 */
export class CallMetricsRecorder implements CallMetricsPort {
  private readonly m: Metrics;
  private readonly steps = new Map<string, Observer>();
  private readonly counts = new Map<string, { inc(): void }>();

  constructor(registry: Registry) {
    this.m = callMetrics(registry);
  }

  callEnded(e: CallEnd): void {
    const key = `${e.direction}/${e.disposition}`;
    let c = this.counts.get(key);
    if (!c) this.counts.set(key, (c = this.m.calls.labels(e.direction, e.disposition)));
    c.inc();
    if (e.talkSeconds !== null) this.m.talkSeconds.labels(e.direction).observe(e.talkSeconds);
    if (e.mos !== null) this.m.mos.labels(e.node).observe(e.mos);
    if (e.jitterMs !== null) this.m.jitterMs.labels(e.node).observe(e.jitterMs);
    if (e.packetLossPct !== null) this.m.packetLossPct.labels(e.node).observe(e.packetLossPct);
  }

  appCompleted(app: string, ms: number): void {
    let h = this.steps.get(app);
    if (!h) this.steps.set(app, (h = this.m.ivrStepSeconds.labels(app)));
    h.observe(ms / 1000);
  }
}
