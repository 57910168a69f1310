import { Gauge, type Registry } from 'prom-client';
import type { EdgeCounters, FloodControl } from './flood-control.ts';

/**
 * Exposes Kamailio's edge counters as Prometheus gauges, read over RPC at scrape time
 * (alert on `switchyard_edge_invites_rejected` and `switchyard_edge_throttled` rising).
 * A scrape while Kamailio is away keeps the last values and sets `switchyard_edge_up` to 0.
 */
export function registerEdgeMetrics(registry: Registry, flood: FloodControl): void {
  // prom-client collects every metric of a scrape in parallel: share one RPC per scrape.
  let last: { at: number; value: Promise<EdgeCounters | null> } | null = null;
  const counters = () => {
    if (!last || Date.now() - last.at > 1_000) {
      last = { at: Date.now(), value: flood.counters().catch(() => null) };
    }
    return last.value;
  };
  const gauge = (name: string, help: string, pick: (c: EdgeCounters) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const c = await counters();
        if (c) this.set(pick(c));
      },
    });
  new Gauge({
    name: 'switchyard_edge_up',
    help: 'Kamailio RPC answered the last scrape',
    registers: [registry],
    async collect() {
      this.set((await counters()) ? 1 : 0);
    },
  });
  gauge('switchyard_edge_invites_rejected', 'INVITEs refused by the allow-list (403), since Kamailio start', (c) => c.inviteRejected);
  gauge('switchyard_edge_throttled', 'requests blocked by Pike, since Kamailio start', (c) => c.throttled);
  gauge('switchyard_edge_banned_drops', 'requests dropped from banned sources, since Kamailio start', (c) => c.bannedDrops);
  gauge('switchyard_edge_no_node', 'calls answered 503 because no node was left, since Kamailio start', (c) => c.noNode);
}
