import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

/** A child process a test started, stopped by PID. Output is kept (bounded) for failure messages. */
export interface ManagedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

export function startProcess(cmd: string, args: string[], opts: SpawnOptions = {}): ManagedProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 64_000) out = out.slice(-32_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      out += `\nspawn error: ${err.message}`;
      resolve(-1);
    });
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    get pid() {
      return child.pid ?? -1;
    },
    output: () => out,
    exited,
    async stop(graceMs = 3_000) {
      if (!isRunning()) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => isRunning() && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
    async kill9() {
      if (isRunning()) child.kill('SIGKILL');
      await exited;
    },
  };
}
