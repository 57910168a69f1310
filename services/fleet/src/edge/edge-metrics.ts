import { Gauge, type Registry } from 'prom-client';
import type { FloodControl } from './flood-control.ts';

/**
 * Exposes Kamailio's edge counters as Prometheus gauges, read over RPC at scrape time
 * (alert on `switchyard_edge_invites_rejected` and `switchyard_edge_throttled` rising).
 * A scrape while Kamailio is away keeps the last values and sets `switchyard_edge_up` to 0.
 */
export function registerEdgeMetrics(registry: Registry, flood: FloodControl): void {
  // Registered first, so its collect() refreshes the counters before they are read.
  new Gauge({
    name: 'switchyard_edge_up',
    help: 'Kamailio RPC answered the last scrape',
    registers: [registry],
    async collect() {
      try {
        const c = await flood.counters();
        rejected.set(c.inviteRejected);
        throttled.set(c.throttled);
        banned.set(c.bannedDrops);
        noNode.set(c.noNode);
        this.set(1);
      } catch {
        this.set(0);
      }
    },
  });
  const mk = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  const rejected = mk('switchyard_edge_invites_rejected', 'INVITEs refused by the allow-list (403), since Kamailio start');
  const throttled = mk('switchyard_edge_throttled', 'requests blocked by Pike, since Kamailio start');
  const banned = mk('switchyard_edge_banned_drops', 'requests dropped from banned sources, since Kamailio start');
  const noNode = mk('switchyard_edge_no_node', 'calls answered 503 because no node was left, since Kamailio start');
}
