import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ManagedProcess, startProcess } from '@switchyard/core/testing';

/** The repository root (scripts/start/ → ../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A service the platform runs as a child process (node --import tsx <entry>). */
export interface ServiceSpec {
  name: string;
  /** Entry file relative to the repository root. */
  entry: string;
  /** Flags for the service's node (before `--import tsx`), e.g. the engine's GC settings. */
  nodeFlags?: readonly string[];
  env: Record<string, string>;
  /** True once the service is ready (`uptimeMs`: time since this spawn). */
  ready: (uptimeMs: number) => Promise<boolean>;
}

/** A running service: its process (stopped by PID) and how it was started, for restarts. */
export class ServiceProcess {
  proc: ManagedProcess;
  private readonly logFile: string | null;
  private spawnedAt = Date.now();

  constructor(
    readonly spec: ServiceSpec,
    logDir: string | null,
  ) {
    if (logDir) mkdirSync(logDir, { recursive: true });
    this.logFile = logDir ? path.join(logDir, `${spec.name}.log`) : null;
    this.proc = this.spawn();
  }

  /** The last output of the service (its log file's tail when it logs to a file). */
  output(): string {
    if (!this.logFile) return this.proc.output();
    const fd = openSync(this.logFile, 'r');
    try {
      const size = statSync(this.logFile).size;
      const buf = Buffer.alloc(Math.min(size, 16_384));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString();
    } finally {
      closeSync(fd);
    }
  }

  get pid(): number {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.child.exitCode === null && this.proc.child.signalCode === null;
  }

  /** Waits until `ready()` says so; fails early with the output when the process exits. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.spec.name} exited during start-up:\n${this.output().slice(-2_000)}`);
      if (await this.spec.ready(Date.now() - this.spawnedAt).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${this.spec.name} not ready within ${timeoutMs} ms:\n${this.output().slice(-2_000)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** SIGTERM: the service drains; SIGKILL after `graceMs`. */
  stop(graceMs = 15_000): Promise<void> {
    return this.proc.stop(graceMs);
  }

  kill9(): Promise<void> {
    return this.proc.kill9();
  }

  /** Starts it again with the same spec (after a kill). */
  async restart(timeoutMs = 30_000): Promise<void> {
    if (this.running) await this.stop();
    this.proc = this.spawn();
    await this.waitReady(timeoutMs);
  }

  private spawn(): ManagedProcess {
    const { spec } = this;
    this.spawnedAt = Date.now();
    // With a log file the service writes to it directly, not through a pipe to us: if this
    // orchestrator dies (even kill -9), the service still logs and exits cleanly on the
    // SIGTERM it then gets — a write to a dead pipe would make its logger spin at exit.
    const fd = this.logFile ? openSync(this.logFile, 'a') : null;
    try {
      return startProcess(process.execPath, [...(spec.nodeFlags ?? []), '--import', 'tsx', path.join(REPO_ROOT, spec.entry)], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...spec.env },
        ...(fd === null ? {} : { stdio: ['ignore', fd, fd] }),
      });
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
}

/** `true` when GET `url` answers 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.body?.cancel();
  return res.ok;
}
