import type { DialerLeg } from '../session/dialer-leg.ts';

/**
 * The small per-call record kept in Redis (with TTL) so another engine can re-attach a
 * parked call whose owner died. Kept flat and short: it is written on every state change.
 */
export interface CallSnapshot {
  readonly callId: string;
  readonly node: string;
  readonly flavour: 'inbound' | 'outbound';
  readonly direction: 'inbound' | 'outbound';
  readonly from: string;
  readonly to: string;
  readonly flowId: string;
  readonly flowVersion: number;
  /** Epoch ms the leg started (call_legs key). */
  readonly startedAt: number;
  /** Last IVR state entered. */
  readonly state: string;
  readonly answered: boolean;
  /** Next call-log sequence number, so a successor keeps numbering monotonic. */
  readonly seq: number;
  /** Set for a campaign call the dialer handed over (its flow vars and call-log key). */
  readonly dialer?: DialerLeg;
}

/** Parses a stored snapshot; `undefined` for anything malformed (never throws). */
export function parseSnapshot(raw: string | null | undefined): CallSnapshot | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<CallSnapshot>;
    if (typeof v.callId !== 'string' || typeof v.node !== 'string' || typeof v.flowId !== 'string') return undefined;
    if (typeof v.startedAt !== 'number' || typeof v.seq !== 'number') return undefined;
    return v as CallSnapshot;
  } catch {
    return undefined;
  }
}
