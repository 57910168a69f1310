import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

// util-linux's setpriv sets PR_SET_PDEATHSIG and then execs the command (same PID), so a
// child gets SIGTERM when the process that started it dies — even by kill -9, when no
// exit handler runs. Without it, `npm start` or a test worker killed hard would leave
// Kamailio, SIPp and services running on their ports.
const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = process.platform === 'linux' && existsSync(SETPRIV);

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

export interface StartProcessOptions extends SpawnOptions {
  /** SIGTERM the child when this process dies (default true where setpriv exists). */
  dieWithParent?: boolean;
}

export function startProcess(cmd: string, args: string[], opts: StartProcessOptions = {}): ManagedProcess {
  const { dieWithParent = true, ...spawnOpts } = opts;
  const wrap = dieWithParent && hasSetpriv && !spawnOpts.detached;
  const child = wrap
    ? spawn(SETPRIV, ['--pdeathsig', 'TERM', '--', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts })
    : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts });
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
