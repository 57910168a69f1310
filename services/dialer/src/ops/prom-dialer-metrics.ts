import type { Registry } from '@switchyard/core';
import { callMetrics, dialerMetrics, eslMetrics } from '@switchyard/core/http';
import { unansweredDisposition } from '../core/call-disposition.ts';
import type { DialerMetricsPort } from '../runner/dialer-metrics-port.ts';

/**
 * The dialer's Prometheus series: originates, concurrency and abandon ratio per campaign
 * (`switchyard_dialer_*`), unanswered outbound attempts in `switchyard_calls_total`
 * (answered ones are counted by the engine at their hang-up), and ESL links per node.
 *
 * @example
 * const metrics = promDialerMetrics(createMetricsRegistry('dialer')); new DialerRunner({ ...opts, metrics });
 */
export function promDialerMetrics(registry: Registry): DialerMetricsPort {
  const d = dialerMetrics(registry);
  const calls = callMetrics(registry).calls;
  const esl = eslMetrics(registry);
  return {
    originated(campaign, n) {
      d.originates.inc({ campaign }, n);
    },
    ended(_campaign, outcome, cause) {
      const disposition = unansweredDisposition(outcome, cause);
      if (disposition) calls.inc({ direction: 'outbound', disposition });
    },
    live(campaign, s) {
      d.concurrent.set({ campaign }, s.inFlight);
    },
    abandon(campaign, s) {
      d.abandonRatio.set({ campaign }, s.liveAnswered > 0 ? s.abandoned / s.liveAnswered : 0);
      d.abandonBudget.set({ campaign }, s.budgetPct / 100);
    },
    eslLink(node, up, reconnect) {
      esl.connected.set({ node }, up ? 1 : 0);
      if (reconnect) esl.reconnects.inc({ node });
    },
    forget(campaign) {
      for (const m of [d.originates, d.concurrent, d.abandonRatio, d.abandonBudget]) m.remove({ campaign });
    },
  };
}
