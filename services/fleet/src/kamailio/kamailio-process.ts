import { execFile } from 'node:child_process';
import { type ManagedProcess, startProcess } from '@switchyard/core';
import { KamailioRpcClient } from './kamailio-rpc-client.ts';
import {
  defineArgs,
  KamailioConfigError,
  type KamailioRun,
  type KamailioRunOptions,
  parseKamailioRun,
} from './kamailio-defines.ts';

export const KAMAILIO_BIN = process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio';

/**
 * Checks a config with `kamailio -c` and the given defines, without starting anything.
 * Throws KamailioConfigError carrying Kamailio's own error lines.
 */
export async function checkKamailioConfig(opts: KamailioRunOptions): Promise<KamailioRun> {
  const run = parseKamailioRun(opts);
  const args = ['-c', '-f', run.cfgPath, ...defineArgs(run)];
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(KAMAILIO_BIN, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      const c = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code: c, output: `${stdout}${stderr}` });
    });
  });
  if (code !== 0 || !/config file ok/i.test(output)) {
    const lines = output
      .split('\n')
      .filter((l) => /ERROR|CRITICAL|error/.test(l))
      .slice(0, 6)
      .join('\n');
    throw new KamailioConfigError(`kamailio -c rejected ${run.cfgPath}:\n${lines || output.slice(-600)}`, output);
  }
  return run;
}

/**
 * One Kamailio child in the foreground (`-DD -E`), started from our cfg plus defines,
 * validated with `kamailio -c` first, stopped by PID. `restart()` validates the new
 * settings before touching the running process, so a bad value leaves the old one up.
 *
 * @example
 * const k = await KamailioProcess.start({ sipPort: 5060, rpcPort: 5089, dbUrl });
 * await k.rpc.call('dispatcher.list'); await k.stop();
 */
export class KamailioProcess {
  private proc: ManagedProcess | null = null;
  private current: KamailioRun;
  rpc: KamailioRpcClient;

  private constructor(run: KamailioRun) {
    this.current = run;
    this.rpc = rpcFor(run);
  }

  /** Validates, starts, and waits until JSON-RPC answers. */
  static async start(opts: KamailioRunOptions, { readyTimeoutMs = 15_000 } = {}): Promise<KamailioProcess> {
    const run = await checkKamailioConfig(opts);
    const k = new KamailioProcess(run);
    await k.spawn(readyTimeoutMs);
    return k;
  }

  get settings(): KamailioRun {
    return this.current;
  }

  get pid(): number {
    return this.proc?.pid ?? -1;
  }

  /** The last output lines (for failure messages). */
  output(): string {
    return this.proc?.output() ?? '';
  }

  /** Applies new settings: `kamailio -c` first (throws, old process untouched), then restart. */
  async restart(opts: KamailioRunOptions, { readyTimeoutMs = 15_000 } = {}): Promise<void> {
    const run = await checkKamailioConfig(opts);
    await this.stop();
    this.current = run;
    this.rpc = rpcFor(run);
    await this.spawn(readyTimeoutMs);
  }

  /** SIGTERM (SIGKILL after a grace period), by PID. */
  async stop(): Promise<void> {
    await this.proc?.stop(5_000);
    this.proc = null;
  }

  private async spawn(readyTimeoutMs: number): Promise<void> {
    const r = this.current;
    const args = ['-f', r.cfgPath, '-DD', '-E', '-m', String(r.shmMb), '-x', r.shmAllocator, ...defineArgs(r)];
    const proc = startProcess(KAMAILIO_BIN, args);
    this.proc = proc;
    const deadline = Date.now() + readyTimeoutMs;
    let exited = false;
    void proc.exited.then(() => {
      exited = true;
    });
    for (;;) {
      if (exited) throw new Error(`kamailio exited during start-up:\n${proc.output().slice(-2_000)}`);
      try {
        await this.rpc.call('core.version', [], { retryForMs: 0 });
        return;
      } catch {
        if (Date.now() > deadline) {
          await proc.stop();
          throw new Error(`kamailio did not answer RPC within ${readyTimeoutMs} ms:\n${proc.output().slice(-2_000)}`);
        }
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  }
}

function rpcFor(run: KamailioRun): KamailioRpcClient {
  return new KamailioRpcClient({ url: `http://${run.rpcIp}:${run.rpcPort}/RPC` });
}
