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
  /**
   * How long `close()` may take before the process exits anyway (default 5 s): a pool or
   * client that never settles must not keep a stopped service alive.
   */
  closeTimeoutMs?: number;
}

/**
 * Installs the SIGTERM drain: readiness flips to 503 at once, in-flight work gets up to
 * `drainTimeoutMs` to finish, then `close()` runs and the process exits (0 when drained,
 * 1 when the timeout cut work short). `close()` gets at most `closeTimeoutMs`, and a backstop
 * timer exits after drain + close + 1 s whatever hangs, so SIGTERM always ends the process.
 * A second signal during the drain does not restart it.
 * Returns the shutdown function itself, so a service can trigger the same path in code.
 *
 * @example
 * installGracefulShutdown({ drain, drainTimeoutMs: 30_000, close: async () => { await app.close(); } });
 */
export function installGracefulShutdown(opts: GracefulShutdownOptions): () => Promise<void> {
  const { drain, drainTimeoutMs, close, log, signals = ['SIGTERM', 'SIGINT'], exit = true, closeTimeoutMs = 5_000 } = opts;
  let running: Promise<void> | undefined;
  const shutdown = () => {
    running ??= (async () => {
      if (exit) {
        // Backstop: whatever hangs (drain wait, close, a stray handle), the process goes.
        setTimeout(() => {
          log?.warn({ drainTimeoutMs, closeTimeoutMs }, 'shutdown overran; exiting now');
          process.exit(1);
        }, drainTimeoutMs + closeTimeoutMs + 1_000).unref();
      }
      drain.begin();
      log?.info({ inFlight: drain.inFlight, drainTimeoutMs }, 'draining');
      const idle = await drain.waitIdle(drainTimeoutMs);
      if (!idle) log?.warn({ inFlight: drain.inFlight }, 'drain timed out; closing with work in flight');
      const closed = await closeWithin(close, closeTimeoutMs, log);
      log?.info({ drained: idle, closed }, 'stopped');
      // The exit code tells whether work was cut short; a slow close only delays the exit.
      if (exit) process.exit(idle ? 0 : 1);
    })();
    return running;
  };
  for (const s of signals) process.on(s, () => void shutdown());
  return shutdown;
}

/** Runs `close()` for at most `ms`; false when it failed or overran (logged). */
async function closeWithin(close: () => Promise<void>, ms: number, log?: DrainLogger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const overran = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    if ((await Promise.race([close().then(() => 'ok' as const), overran])) === 'ok') return true;
    log?.warn({ closeTimeoutMs: ms }, 'close did not finish in time; exiting anyway');
    return false;
  } catch (err) {
    log?.warn({ err }, 'error while closing');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
