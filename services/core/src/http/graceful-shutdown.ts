import type { DrainController } from './drain-controller.ts';

/** The bits of a logger the drain uses (pino fits). */
export interface DrainLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface GracefulShutdownOptions {
  drain: DrainController;
  /** How long in-flight work may take after SIGTERM (`drain_secs`). */
  drainTimeoutMs: number;
  /** Closes servers and connections once drained (or timed out); runs once. */
  close: () => Promise<void>;
  log?: DrainLogger;
  signals?: readonly NodeJS.Signals[];
  /** Exit the process when done (default true; tests of the function itself pass false). */
  exit?: boolean;
}

/**
 * Installs the SIGTERM drain: readiness flips to 503 at once, in-flight work gets up to
 * `drainTimeoutMs` to finish, then `close()` runs and the process exits (0 when drained,
 * 1 when the timeout cut work short). A second signal during the drain does not restart it.
 * Returns the shutdown function itself, so a service can trigger the same path in code.
 *
 * @example
 * installGracefulShutdown({ drain, drainTimeoutMs: 30_000, close: async () => { await app.close(); } });
 */
export function installGracefulShutdown(opts: GracefulShutdownOptions): () => Promise<void> {
  const { drain, drainTimeoutMs, close, log, signals = ['SIGTERM', 'SIGINT'], exit = true } = opts;
  let running: Promise<void> | undefined;
  const shutdown = () => {
    running ??= (async () => {
      drain.begin();
      log?.info({ inFlight: drain.inFlight, drainTimeoutMs }, 'draining');
      const idle = await drain.waitIdle(drainTimeoutMs);
      if (!idle) log?.warn({ inFlight: drain.inFlight }, 'drain timed out; closing with work in flight');
      try {
        await close();
      } catch (err) {
        log?.warn({ err }, 'error while closing');
      }
      log?.info({ drained: idle }, 'stopped');
      if (exit) process.exit(idle ? 0 : 1);
    })();
    return running;
  };
  for (const s of signals) process.on(s, () => void shutdown());
  return shutdown;
}
