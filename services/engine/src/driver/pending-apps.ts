import { randomUUID } from 'node:crypto';
import type { EslEvent } from '../esl/esl-event.ts';

interface Pending {
  resolve(ev: EslEvent): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
  app: string;
  openedAt: number;
  signal: AbortSignal | undefined;
  /** Already resolved (barge-in): the entry only waits to absorb its completion event. */
  settled: boolean;
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
 * Executes in flight on one channel, keyed by the Application-UUID we chose — never by
 * arrival order. Small by construction (a flow runs one verb at a time); every entry
 * leaves on completion, timeout, abort or hangup.
 */
export class PendingApps {
  private readonly map = new Map<string, Pending>();

  constructor(private readonly onCompleted?: AppLatencyObserver) {}

  /** Registers a new app run; the returned promise settles on its completion event. `signal` tags it for {@link failSignal}. */
  open(app: string, timeoutMs: number, signal?: AbortSignal): { appUuid: string; done: Promise<EslEvent> } {
    const appUuid = APP_ID_PREFIX + (++appIdSeq).toString(36);
    const done = new Promise<EslEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.map.delete(appUuid);
        reject(new AppStallError(app, timeoutMs));
      }, timeoutMs);
      this.map.set(appUuid, { resolve, reject, timer, app, openedAt: performance.now(), signal, settled: false });
    });
    return { appUuid, done };
  }

  /** Routes a CHANNEL_EXECUTE_COMPLETE; false when nobody waits for it (late or foreign). */
  complete(appUuid: string | undefined, ev: EslEvent): boolean {
    if (!appUuid) return false;
    const p = this.map.get(appUuid);
    if (!p) return false;
    this.map.delete(appUuid);
    clearTimeout(p.timer);
    this.onCompleted?.(p.app, performance.now() - p.openedAt);
    if (!p.settled) p.resolve(ev);
    return true;
  }

  /**
   * Resolves `appUuid` now with `ev`, before its completion event (a prompt the caller
   * barged into: the switch is stopping it). The entry stays to absorb that event.
   */
  settle(appUuid: string, ev: EslEvent): void {
    const p = this.map.get(appUuid);
    if (!p || p.settled) return;
    p.settled = true;
    p.resolve(ev);
  }

  fail(appUuid: string, err: unknown): void {
    const p = this.map.get(appUuid);
    if (!p) return;
    this.map.delete(appUuid);
    clearTimeout(p.timer);
    p.reject(err);
  }

  /** Rejects the unsettled apps opened under `signal` (it was aborted); how many there were. */
  failSignal(signal: AbortSignal, err: unknown): number {
    let n = 0;
    for (const [id, p] of [...this.map]) {
      if (p.signal !== signal || p.settled) continue;
      this.fail(id, err);
      n++;
    }
    return n;
  }

  /** Settles everything as completed (after a reconnect: completions sent during the outage are lost). */
  resolveAll(ev: EslEvent): void {
    for (const [id, p] of [...this.map]) {
      this.map.delete(id);
      clearTimeout(p.timer);
      p.resolve(ev);
    }
  }

  /** Rejects everything (hangup, socket gone). */
  failAll(err: unknown): void {
    for (const id of [...this.map.keys()]) this.fail(id, err);
  }

  get size(): number {
    return this.map.size;
  }
}
