/** Per-node health as the engine sees it (reported on /ready and metrics). */
export interface NodeHealth {
  readonly node: string;
  readonly eslConnected: boolean;
  /** Ms since the last event; null before the first. */
  readonly lastEventAgeMs: number | null;
  /** From the last HEARTBEAT. */
  readonly sessionCount: number | null;
  readonly idleCpu: number | null;
  readonly commandsInFlight: number;
  readonly calls: number;
  readonly reconnects: number;
  /** True when the ESL link is up: the only way a node is ready. */
  readonly ready: boolean;
  /** Removed from the fleet; closed once its calls end. */
  readonly leaving: boolean;
}

/** The figures a HEARTBEAT event carries. */
export interface HeartbeatFigures {
  sessionCount: number | null;
  idleCpu: number | null;
}

/** Reads `Session-Count` and `Idle-CPU` from a HEARTBEAT; garbage becomes null. */
export function heartbeatFigures(get: (h: string) => string | undefined): HeartbeatFigures {
  const n = (v: string | undefined) => {
    if (v === undefined || v === '') return null;
    const x = Number(v);
    return Number.isFinite(x) ? x : null;
  };
  return { sessionCount: n(get('Session-Count')), idleCpu: n(get('Idle-CPU')) };
}
