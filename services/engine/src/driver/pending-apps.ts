import { randomUUID } from 'node:crypto';
import type { EslEvent } from '../esl/esl-event.ts';
import { DeadlineWheel, type WheelEntry } from './deadline-wheel.ts';

/** One app in flight. A class: one fixed-shape object per app (its promise's resolvers and its watchdog place included). */
class Pending implements WheelEntry {
  resolve!: (ev: EslEvent) => void;
  reject!: (err: unknown) => void;
  /** Already resolved (barge-in): the entry only waits to absorb its completion event. */
  settled = false;
  wheelAt = 0;
  wheelSlot = -1;
  wheelIndex = 0;
  constructor(
    readonly owner: PendingApps,
    readonly appUuid: string,
    readonly app: string,
    readonly timeoutMs: number,
    readonly openedAt: number,
    readonly signal: AbortSignal | undefined,
  ) {}
}

/** Told when an app completes: its name and ms from being opened (sent) to its completion event. */
export type AppLatencyObserver = (app: string, ms: number) => void;

/** An app that got no CHANNEL_EXECUTE_COMPLETE in time: the node stopped answering for this call. */
export class AppStallError extends Error {
  override readonly name = 'AppStallError';
  constructor(readonly app: string, readonly ms: number) {
    super(`${app} got no completion within ${ms} ms (node stalled?)`);
  }
}

// Application-UUIDs: a random per-process prefix and a counter. Unique across engines (a
// successor never mistakes a dead engine's late completion for its own) without a
// randomUUID() per command.
const APP_ID_PREFIX = `${randomUUID()}-`;
let appIdSeq = 0;

/**
 * The stall watchdog of every app in flight, process-wide: one timer, not one per app. The
 * deadlines are coarse (ESL_APP_TIMEOUT_MS is at least a second), so a 100 ms tick is plenty.
 */
const watchdog = new DeadlineWheel<Pending>((p) => {
  if (p.owner.remove(p.appUuid) === p) p.reject(new AppStallError(p.app, p.timeoutMs));
});

/**
 * Executes in flight on one channel, keyed by the Application-UUID we chose — never by
 * arrival order. Small by construction (a flow runs one verb at a time, plus a queued `set`
 * or a barged prompt awaiting its completion), so a short array rather than a Map, whose
 * table is reallocated as a call's apps come and go. Every entry leaves on completion,
 * timeout, abort or hangup.
 */
export class PendingApps {
  private readonly list: Pending[] = [];

  constructor(private readonly onCompleted?: AppLatencyObserver) {}

  /** Registers a new app run; the returned promise settles on its completion event. `signal` tags it for {@link failSignal}. */
  open(app: string, timeoutMs: number, signal?: AbortSignal): { appUuid: string; done: Promise<EslEvent> } {
    const p = new Pending(this, APP_ID_PREFIX + (++appIdSeq).toString(36), app, timeoutMs, performance.now(), signal);
    const done = new Promise<EslEvent>((resolve, reject) => {
      p.resolve = resolve;
      p.reject = reject;
    });
    watchdog.add(p, timeoutMs);
    this.list.push(p);
    return { appUuid: p.appUuid, done };
  }

  /** Takes `appUuid`'s entry out, watchdog included (order is not kept: the last entry fills its slot). */
  remove(appUuid: string): Pending | undefined {
    const l = this.list;
    for (let i = 0; i < l.length; i++) {
      const p = l[i] as Pending;
      if (p.appUuid !== appUuid) continue;
      const last = l.pop() as Pending;
      if (last !== p) l[i] = last;
      watchdog.remove(p);
      return p;
    }
    return undefined;
  }

  private find(appUuid: string): Pending | undefined {
    for (const p of this.list) if (p.appUuid === appUuid) return p;
    return undefined;
  }

  /** Routes a CHANNEL_EXECUTE_COMPLETE; false when nobody waits for it (late or foreign). */
  complete(appUuid: string | undefined, ev: EslEvent): boolean {
    if (!appUuid) return false;
    const p = this.remove(appUuid);
    if (!p) return false;
    this.onCompleted?.(p.app, performance.now() - p.openedAt);
    if (!p.settled) p.resolve(ev);
    return true;
  }

  /**
   * Resolves `appUuid` now with `ev`, before its completion event (a prompt the caller
   * barged into: the switch is stopping it). The entry stays to absorb that event.
   */
  settle(appUuid: string, ev: EslEvent): void {
    const p = this.find(appUuid);
    if (!p || p.settled) return;
    p.settled = true;
    p.resolve(ev);
  }

  fail(appUuid: string, err: unknown): void {
    const p = this.remove(appUuid);
    if (!p) return;
    p.reject(err);
  }

  /** Rejects the unsettled apps opened under `signal` (it was aborted); how many there were. */
  failSignal(signal: AbortSignal, err: unknown): number {
    let n = 0;
    for (const p of this.list.slice()) {
      if (p.signal !== signal || p.settled) continue;
      this.fail(p.appUuid, err);
      n++;
    }
    return n;
  }

  /** Settles everything as completed (after a reconnect: completions sent during the outage are lost). */
  resolveAll(ev: EslEvent): void {
    for (const p of this.list.splice(0)) {
      watchdog.remove(p);
      p.resolve(ev);
    }
  }

  /** Rejects everything (hangup, socket gone). */
  failAll(err: unknown): void {
    for (const p of this.list.splice(0)) {
      watchdog.remove(p);
      p.reject(err);
    }
  }

  get size(): number {
    return this.list.length;
  }
}
