import type { Outcome } from './outcome.ts';

/** The regulator's window: abandon rates are counted over a rolling 30 days. */
export const ABANDON_WINDOW_MS = 30 * 24 * 3600 * 1000;
/** A live answer not handed to the flow within this long counts as abandoned. */
export const ABANDON_CONNECT_MS = 2000;

/**
 * THE definition of "abandoned", used everywhere: a call a live person answered (not a
 * machine) that was not connected to the campaign's flow within {@link ABANDON_CONNECT_MS}
 * (handoff failed, no capacity, or too slow).
 */
export function isAbandoned(a: { answeredAt: number; connectedAt: number | null; machine: boolean }): boolean {
  if (a.machine) return false;
  return a.connectedAt === null || a.connectedAt - a.answeredAt > ABANDON_CONNECT_MS;
}

/** Outcomes that count as a live answer in the abandon-rate denominator. */
export function isLiveAnswer(outcome: Outcome | string | null): boolean {
  return outcome === 'answered' || outcome === 'abandoned';
}

/** Abandon rate in percent over live answers (0 when there are none yet). */
export function abandonRatePct(liveAnswered: number, abandoned: number): number {
  return liveAnswered > 0 ? (abandoned / liveAnswered) * 100 : 0;
}

export interface AbandonThrottleOptions {
  /** Start slowing down at this fraction of the budget. */
  softFraction?: number;
  /** Never go below this pacing factor (so the campaign keeps moving at a trickle). */
  floor?: number;
}

/**
 * Pacing factor in [floor, 1] from the rolling counts: full speed while the rate is under
 * `softFraction` of the budget, then linearly down to `floor` at the point where ONE more
 * abandoned call would exceed the budget — so the throttle acts before the budget is crossed.
 *
 * @example
 * abandonPacingFactor({ liveAnswered: 1000, abandoned: 29, budgetPct: 3 }); // near the floor
 */
export function abandonPacingFactor(
  s: { liveAnswered: number; abandoned: number; budgetPct: number },
  opts: AbandonThrottleOptions = {},
): number {
  const soft = opts.softFraction ?? 0.5;
  const floor = opts.floor ?? 0.05;
  if (s.budgetPct <= 0) return s.abandoned > 0 ? floor : 1;
  // Project one more abandon so a small sample cannot jump over the budget in one call.
  const projected = abandonRatePct(s.liveAnswered + 1, s.abandoned + 1);
  const ratio = projected / s.budgetPct;
  if (s.liveAnswered < 20) return ratio > 1 && s.abandoned > 0 ? Math.max(floor, 0.5) : 1;
  if (ratio <= soft) return 1;
  if (ratio >= 1) return floor;
  return Math.max(floor, 1 - (ratio - soft) / (1 - soft));
}
