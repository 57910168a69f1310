import type { Outcome } from '../core/outcome.ts';

/** What the runner (and the ESL adapter, for links) tells metrics; never awaited, an adapter must not throw. */
export interface DialerMetricsPort {
  /** `n` originates were sent for a campaign. */
  originated(campaignId: string, n: number): void;
  /** An attempt was closed (by its events, the sweep or crash recovery). */
  ended(campaignId: string, outcome: Outcome, cause: string): void;
  /** Live figures for a running campaign from this process (every second). */
  live(campaignId: string, s: { inFlight: number }): void;
  /** The rolling abandon figures of a running campaign (every abandon poll). */
  abandon(campaignId: string, s: { liveAnswered: number; abandoned: number; budgetPct: number }): void;
  /** A node's ESL control connection came up or went down. */
  eslLink(node: string, up: boolean, reconnect: boolean): void;
  /** The campaign no longer runs here: drop its per-campaign series. */
  forget(campaignId: string): void;
}
