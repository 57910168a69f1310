import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

// The metric names the Grafana dashboard and the alert rules in deploy/ query. Each
// service creates only the groups it updates; a group is created once per registry.
const cache = new WeakMap<Registry, Map<string, unknown>>();
function once<T>(registry: Registry, key: string, make: () => T): T {
  let m = cache.get(registry);
  if (!m) cache.set(registry, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}

/** HTTP request metrics (the API and every ops server). */
export function httpMetrics(registry: Registry) {
  return once(registry, 'http', () => ({
    requests: new Counter({
      name: 'switchyard_http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'switchyard_http_request_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  }));
}

/** Drain state: 1 while draining, and the work still in flight. */
export function drainMetrics(registry: Registry, read: () => { draining: boolean; inFlight: number }) {
  return once(registry, 'drain', () => ({
    draining: new Gauge({
      name: 'switchyard_draining',
      help: '1 while the process is draining',
      registers: [registry],
      collect() {
        this.set(read().draining ? 1 : 0);
      },
    }),
    inFlight: new Gauge({
      name: 'switchyard_in_flight',
      help: 'Calls or requests in flight in this process',
      registers: [registry],
      collect() {
        this.set(read().inFlight);
      },
    }),
  }));
}

/** Call metrics (engine): channels per node, calls by direction and disposition, quality. ASR/ACD are PromQL over these. */
export function callMetrics(registry: Registry) {
  return once(registry, 'calls', () => ({
    channels: new Gauge({
      name: 'switchyard_channels',
      help: 'Channels up per media node',
      labelNames: ['node'] as const,
      registers: [registry],
    }),
    calls: new Counter({
      name: 'switchyard_calls_total',
      help: 'Ended calls by direction and disposition (answered, busy, no_answer, failed, ...)',
      labelNames: ['direction', 'disposition'] as const,
      registers: [registry],
    }),
    talkSeconds: new Histogram({
      name: 'switchyard_call_talk_seconds',
      help: 'Talk time of answered calls (ACD = sum/count)',
      labelNames: ['direction'] as const,
      buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    }),
    stuck: new Gauge({
      name: 'switchyard_calls_stuck',
      help: 'Calls older than the stuck threshold without a hangup',
      registers: [registry],
    }),
    mos: new Histogram({
      name: 'switchyard_call_mos',
      help: 'MOS per node at hangup',
      labelNames: ['node'] as const,
      buckets: [1, 2, 2.5, 3, 3.5, 4, 4.3, 4.5],
      registers: [registry],
    }),
    jitterMs: new Histogram({
      name: 'switchyard_call_jitter_ms',
      help: 'Inbound jitter per node at hangup, ms (rtp_audio_in_jitter_max_variance, as in the call log)',
      labelNames: ['node'] as const,
      buckets: [1, 5, 10, 20, 30, 50, 100],
      registers: [registry],
    }),
    packetLossPct: new Histogram({
      name: 'switchyard_call_packet_loss_pct',
      help: 'Packet loss per node at hangup',
      labelNames: ['node'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    ivrStepSeconds: new Histogram({
      name: 'switchyard_ivr_step_seconds',
      help: 'IVR step latency (command sent to its completion event)',
      labelNames: ['kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  }));
}

/** ESL connection metrics (engine, dialer). */
export function eslMetrics(registry: Registry) {
  return once(registry, 'esl', () => ({
    connected: new Gauge({
      name: 'switchyard_esl_connected',
      help: '1 while the inbound ESL connection to the node is up',
      labelNames: ['node'] as const,
      registers: [registry],
    }),
    reconnects: new Counter({
      name: 'switchyard_esl_reconnects_total',
      help: 'ESL reconnect attempts',
      labelNames: ['node'] as const,
      registers: [registry],
    }),
    commandTimeouts: new Counter({
      name: 'switchyard_esl_command_timeouts_total',
      help: 'ESL commands that got no reply in time',
      labelNames: ['node'] as const,
      registers: [registry],
    }),
  }));
}

/** Call-log pipeline metrics (producer, recorder). */
export function callLogMetrics(registry: Registry) {
  return once(registry, 'calllog', () => ({
    streamLag: new Gauge({
      name: 'switchyard_calllog_stream_lag',
      help: 'Entries in the call-log stream not yet acknowledged by the recorder',
      registers: [registry],
    }),
    spoolBytes: new Gauge({
      name: 'switchyard_calllog_spool_bytes',
      help: 'Bytes waiting in the local spool while Redis is away',
      registers: [registry],
    }),
  }));
}

/** Dialer metrics per campaign. */
export function dialerMetrics(registry: Registry) {
  return once(registry, 'dialer', () => ({
    originates: new Counter({
      name: 'switchyard_dialer_originates_total',
      help: 'Originates sent',
      labelNames: ['campaign'] as const,
      registers: [registry],
    }),
    concurrent: new Gauge({
      name: 'switchyard_dialer_concurrent',
      help: 'Dialer calls up',
      labelNames: ['campaign'] as const,
      registers: [registry],
    }),
    abandonRatio: new Gauge({
      name: 'switchyard_dialer_abandon_ratio',
      help: 'Abandoned / answered over the campaign window (0..1)',
      labelNames: ['campaign'] as const,
      registers: [registry],
    }),
    abandonBudget: new Gauge({
      name: 'switchyard_dialer_abandon_budget_ratio',
      help: 'The campaign abandon budget (0..1)',
      labelNames: ['campaign'] as const,
      registers: [registry],
    }),
  }));
}

/** Edge metrics (fleet): dispatcher destination states and rejections. */
export function edgeMetrics(registry: Registry) {
  return once(registry, 'edge', () => ({
    dispatcherUp: new Gauge({
      name: 'switchyard_dispatcher_destination_up',
      help: '1 when Kamailio marks the destination active',
      labelNames: ['setid', 'destination'] as const,
      registers: [registry],
    }),
    rejections: new Counter({
      name: 'switchyard_edge_rejections_total',
      help: 'Requests the edge rejected, by reason (not_allowed, pike, sanity, banned)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  }));
}
