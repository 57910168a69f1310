import type { NodeState } from '@switchyard/core';

/**
 * Dispatcher set that holds nodes still being probed: Kamailio pings them (ds_probing_mode
 * 1 pings every destination) but no trunk group routes to it.
 */
export const PROBE_SET_ID = 999_999;

/** Dispatcher flags: 0 active, 4 disabled (a lasting drain, trap 3), 9 inactive + probing. */
export const DS_FLAG_ACTIVE = 0;
export const DS_FLAG_DISABLED = 4;
export const DS_FLAG_PROBING = 9;

/** The columns of a node the lifecycle looks at. */
export interface LifecycleNode {
  name: string;
  sip_uri: string;
  weight: number;
  set_id: number;
  state: NodeState;
  drain_started_at: Date | null;
  drain_timeout_secs: number;
}

/** The dispatcher row a node should have, or null (removed). */
export interface DesiredDispatcherRow {
  setid: number;
  destination: string;
  flags: number;
  priority: number;
  attrs: string;
  description: string;
}

/**
 * Maps a node to its dispatcher row: registered/probing nodes sit in the probe set
 * (inactive until an OPTIONS reply), active nodes in their set, draining nodes disabled
 * in their set (so in-dialog requests from them are still trusted), removed nodes nowhere.
 */
export function dispatcherRowFor(node: LifecycleNode): DesiredDispatcherRow | null {
  const attrs = `weight=${node.weight};rweight=${Math.max(1, node.weight)};duid=${node.name}`;
  const base = { destination: node.sip_uri, priority: 0, attrs, description: node.name };
  switch (node.state) {
    case 'registered':
    case 'probing':
      return { ...base, setid: PROBE_SET_ID, flags: DS_FLAG_PROBING };
    case 'active':
      return { ...base, setid: node.set_id, flags: DS_FLAG_ACTIVE };
    case 'draining':
      return { ...base, setid: node.set_id, flags: DS_FLAG_DISABLED };
    case 'removed':
      return null;
  }
}

/** What the fleet observed about one node at one tick. */
export interface NodeObservation {
  /** Kamailio's probing says the SIP side answers; null when Kamailio is unreachable. */
  sipUp: boolean | null;
  /** The engine's ESL link is up; null when unknown (health source away), which changes nothing. */
  eslUp: boolean | null;
  inFlightCalls: number;
  now: Date;
}

/**
 * The next lifecycle state (pure). probing → active needs SIP and ESL up; active → probing
 * only when ESL is known lost (the engine could not drive the calls); draining → removed at
 * zero in-flight calls or after the drain timeout. Unknown SIP or ESL health changes nothing.
 */
export function nextNodeState(node: LifecycleNode, obs: NodeObservation): NodeState {
  switch (node.state) {
    case 'probing':
      return obs.sipUp === true && obs.eslUp === true ? 'active' : 'probing';
    case 'active':
      // Only positive evidence demotes: unknown ESL health keeps an active node active.
      return obs.eslUp === false ? 'probing' : 'active';
    case 'draining': {
      const started = node.drain_started_at?.getTime() ?? obs.now.getTime();
      const timedOut = obs.now.getTime() - started >= node.drain_timeout_secs * 1000;
      return obs.inFlightCalls <= 0 || timedOut ? 'removed' : 'draining';
    }
    default:
      return node.state;
  }
}

/** Dispatcher set algorithms we expose, by name → Kamailio's number. */
export const SET_ALGORITHMS = { 'hash-callid': 0, 'round-robin': 4, weighted: 11 } as const;
export type SetAlgorithm = keyof typeof SET_ALGORITHMS;

export function algorithmName(n: number): SetAlgorithm | 'unknown' {
  for (const [k, v] of Object.entries(SET_ALGORITHMS)) if (v === n) return k as SetAlgorithm;
  return 'unknown';
}
