/**
 * Tracks whether a process is draining and how much work is still in flight, so
 * `/ready` can flip to 503 at once while `/health` stays 200 and shutdown waits for the
 * last call or request to finish.
 *
 * @example
 * const drain = new DrainController();
 * const release = drain.track(); try { await handle(); } finally { release(); }
 */
export class DrainController {
  #draining = false;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #drainSignal = new AbortController();

  get draining(): boolean {
    return this.#draining;
  }
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Aborted when draining starts: long-lived streams (SSE, tails) close on it. */
  get signal(): AbortSignal {
    return this.#drainSignal.signal;
  }

  /** Starts draining: readiness fails from now on; in-flight work carries on. Idempotent. */
  begin(): void {
    this.#draining = true;
    this.#drainSignal.abort();
  }

  /** Counts one unit of work (a call, a request); the returned function releases it once. */
  track(): () => void {
    this.#inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      if (this.#inFlight === 0) this.#wakeIdle();
    };
  }

  /** Resolves `true` when nothing is in flight, or `false` when `timeoutMs` passes first. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.#inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#idleWaiters = this.#idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      timer.unref?.();
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#idleWaiters.push(done);
    });
  }

  #wakeIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
