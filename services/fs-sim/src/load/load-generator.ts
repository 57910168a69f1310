import type { SwitchCore } from '../core/switch-core.ts';
import { type CallerStep, parseCallerScript } from './caller-script.ts';
import { placeSyntheticCall } from './synthetic-call.ts';

/** Load mode: keep N synthetic calls up, each following a caller script. */
export interface LoadOptions {
  /** Concurrent calls to keep up. */
  calls: number;
  destination: string;
  /** e.g. `wait 1s; press 1; wait 2s; press 0` (runs once the call is answered). */
  script: string;
  /** Calls started per second while ramping up (default: all at once). */
  ratePerSec?: number;
  /** Give load calls mod_sofia's full variable set (default: a lean set, smaller events). */
  fullVars?: boolean;
  /** Spread the first calls over this many ms so callers do not act in lock-step (default 1000). */
  staggerMs?: number;
  /** Stop after this many calls in total (default: run until stop()). */
  totalCalls?: number;
  callerIdNumber?: string;
}

/** Figures of a load run. */
export interface LoadStats {
  started: number;
  ended: number;
  refused: number;
  active: number;
}

/** A running load; `stop()` stops placing calls (running calls finish on their own). */
export interface LoadRun {
  stats(): LoadStats;
  stop(): void;
}

/** How far ahead evenly paced call starts are put on the switch's timer queue. */
const PACE_TICK_MS = 100;

/** Above this many bytes queued towards ESL consumers, no new load call starts. */
const BACKLOG_LIMIT = 4 * 1024 * 1024;

/** Start load mode on a switch. */
export function startLoad(sw: SwitchCore, o: LoadOptions): LoadRun {
  const script: CallerStep[] = parseCallerScript(o.script);
  const st: LoadStats = { started: 0, ended: 0, refused: 0, active: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  const place = (): boolean => {
    if (stopped || (o.totalCalls !== undefined && st.started >= o.totalCalls)) return false;
    // synthetic callers wait while ESL consumers lag, so load runs at what the node can deliver
    if (sw.backlog() > BACKLOG_LIMIT) {
      if (!retry) {
        retry = setTimeout(() => {
          retry = undefined;
          topUp();
        }, 20);
      }
      return false;
    }
    const rt = placeSyntheticCall(sw, {
      destination: o.destination,
      callerIdNumber: o.callerIdNumber ?? `load${st.started}`,
      script,
      lean: !o.fullVars,
      onEnd: () => {
        st.ended++;
        st.active--;
        if (!stopped && pending <= 0) setImmediate(topUp);
      },
    });
    if (!rt) {
      st.refused++;
      return false;
    }
    st.started++;
    st.active++;
    return true;
  };
  const topUp = (): void => {
    while (st.active < o.calls && place()) {
      // keep placing until the target concurrency is reached
    }
  };
  let pending = o.calls;
  const placeInitial = (): void => {
    pending--;
    if (st.active < o.calls) place();
    if (pending === 0) topUp();
  };
  if (o.ratePerSec && o.ratePerSec > 0) {
    pending = 0;
    // Callers arrive evenly, one every 1000/rate ms, not a tick's worth at once: a batch of
    // callers started together presses its keys together too, and the burst (not the switch
    // or its consumer) would set every latency measured against this load.
    const gap = 1000 / o.ratePerSec;
    let next = Date.now();
    const slot = (): void => {
      if (st.active < o.calls) place();
    };
    const plan = (): void => {
      const now = Date.now();
      const horizon = now + PACE_TICK_MS;
      if (next < now - PACE_TICK_MS) next = now; // after a stall, no burst of missed starts
      for (; next < horizon; next += gap) sw.timers.after(next - now, slot);
    };
    plan();
    timer = setInterval(plan, PACE_TICK_MS);
  } else {
    // the first wave: spread over staggerMs, then every ended call is replaced at once
    const stagger = o.staggerMs ?? 1000;
    for (let i = 0; i < o.calls; i++) sw.timers.after(Math.random() * stagger, placeInitial);
  }
  return {
    stats: () => ({ ...st }),
    stop: () => {
      stopped = true;
      if (timer) clearInterval(timer);
      if (retry) clearTimeout(retry);
    },
  };
}
