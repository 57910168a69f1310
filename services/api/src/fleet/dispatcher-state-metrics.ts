import type { Registry } from '@switchyard/core';
import { edgeMetrics } from '@switchyard/core/http';
import type { FleetPort } from './fleet-port.ts';

/**
 * Keeps `switchyard_dispatcher_destination_up` in step with Kamailio's dispatcher view of
 * each node (refreshed every `intervalMs`; removed nodes drop out of the gauge).
 */
export function trackDispatcherStates(registry: Registry, fleet: Pick<FleetPort, 'list'>, intervalMs = 10_000): () => void {
  const gauge = edgeMetrics(registry).dispatcherUp;
  const refresh = async () => {
    try {
      const nodes = await fleet.list();
      gauge.reset();
      for (const n of nodes) {
        if (n.sip) gauge.set({ setid: String(n.sip.setId), destination: n.sipUri }, n.sip.state === 'active' ? 1 : 0);
      }
    } catch {
      // Postgres away: keep the last values; /ready reports the dependency.
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
