/** Counters for metrics and tests: everything dropped or refused is counted, never thrown. */
export interface EngineStats {
  callsStarted: number;
  callsEnded: number;
  /** Calls another engine won the claim for. */
  claimsLost: number;
  /** Refused: unknown DID without default, capacity, draining. */
  rejected: number;
  /** Re-attached after another engine's lease lapsed, or after a reconnect. */
  takenOver: number;
  /** Ended because the channel vanished during an ESL outage. */
  lostInOutage: number;
  /** Events for channels this engine does not drive. */
  unknownEvents: number;
  /** Execute completions nobody waited for (late or foreign). */
  lateCompletions: number;
  flowErrors: number;
  /** Campaign calls the dialer handed over (flow started, marker written). */
  dialerHandoffs: number;
  /** ESL oddities the connections reported and dropped (unsolicited replies, bad frames...). */
  eslWarnings: number;
}

export function emptyStats(): EngineStats {
  return {
    callsStarted: 0,
    callsEnded: 0,
    claimsLost: 0,
    rejected: 0,
    takenOver: 0,
    lostInOutage: 0,
    unknownEvents: 0,
    lateCompletions: 0,
    flowErrors: 0,
    dialerHandoffs: 0,
    eslWarnings: 0,
  };
}
