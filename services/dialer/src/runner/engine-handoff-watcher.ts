import { ABANDON_CONNECT_MS } from '../core/abandon-budget.ts';
import type { AnsweredPort } from './switch-port.ts';

/** The Redis call the watcher makes (ioredis fits). */
export interface HandoffStore {
  mget(keys: string[]): Promise<(string | null)[]>;
}

/** Options of {@link EngineHandoffWatcher}. */
export interface EngineHandoffWatcherOptions {
  /** Redis key of a call's hand-off marker (core's `redisKeys(prefix).callHandoff`). */
  key: (callUuid: string) => string;
  /** How often pending calls are looked up, all in one MGET (default 20 ms). */
  pollMs?: number;
  /** Give up after this long (default the abandon window plus a little). */
  timeoutMs?: number;
  /** Calls waited for at once; beyond it a wait fails at once (default 100,000). */
  maxPending?: number;
}

interface Pending {
  resolve(engineId: string): void;
  reject(err: Error): void;
  deadline: number;
}

/** Keys per MGET: one round trip stays small however many calls wait. */
const MGET_CHUNK = 500;

/**
 * The dialer's side of the engine hand-off. The dialer originates with `&park()` and
 * `sy_*` channel variables; an engine claims the parked channel, starts the campaign's flow
 * and writes the marker `call:<uuid>:handoff` = its id. This watcher resolves when the marker
 * appears and rejects at the deadline (the call then counts as abandoned). One batched MGET
 * per poll for every call waiting; no work while nothing waits.
 *
 * @example
 * const w = new EngineHandoffWatcher(redis, { key: redisKeys('sy:').callHandoff });
 * new DialerRunner({ ..., onAnswered: w.port });
 */
export class EngineHandoffWatcher {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly store: HandoffStore,
    private readonly o: EngineHandoffWatcherOptions,
  ) {
    this.pollMs = o.pollMs ?? 20;
    this.timeoutMs = o.timeoutMs ?? ABANDON_CONNECT_MS + 50;
    this.maxPending = o.maxPending ?? 100_000;
  }

  /** The runner's `onAnswered` port. */
  readonly port: AnsweredPort = async (call) => {
    await this.wait(call.callUuid);
  };

  /** Resolves the id of the engine that took `callUuid`; rejects when none did in time. */
  wait(callUuid: string): Promise<string> {
    if (this.pending.has(callUuid)) return Promise.reject(new Error(`already waiting for ${callUuid}`));
    if (this.pending.size >= this.maxPending) return Promise.reject(new Error('too many hand-offs pending'));
    return new Promise<string>((resolve, reject) => {
      this.pending.set(callUuid, { resolve, reject, deadline: Date.now() + this.timeoutMs });
      this.timer ??= setInterval(() => void this.poll(), this.pollMs);
    });
  }

  /** Calls waited for now. */
  get size(): number {
    return this.pending.size;
  }

  /** Fails every wait (shutdown). */
  close(): void {
    for (const [uuid, p] of this.pending) p.reject(new Error(`hand-off of ${uuid} abandoned: dialer closing`));
    this.pending.clear();
    this.stopTimer();
  }

  private async poll(): Promise<void> {
    if (this.polling) return; // a slow Redis never stacks polls
    this.polling = true;
    try {
      const uuids = [...this.pending.keys()];
      for (let i = 0; i < uuids.length; i += MGET_CHUNK) {
        const chunk = uuids.slice(i, i + MGET_CHUNK);
        const got = await this.store.mget(chunk.map(this.o.key)).catch(() => chunk.map(() => null));
        chunk.forEach((uuid, j) => {
          const engineId = got[j];
          if (engineId) this.settle(uuid)?.resolve(engineId);
        });
      }
      const now = Date.now();
      for (const [uuid, p] of this.pending) {
        if (p.deadline <= now) this.settle(uuid)?.reject(new Error(`no engine took ${uuid} within ${this.timeoutMs} ms`));
      }
    } finally {
      this.polling = false;
      if (this.pending.size === 0) this.stopTimer();
    }
  }

  private settle(uuid: string): Pending | undefined {
    const p = this.pending.get(uuid);
    this.pending.delete(uuid);
    return p;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
