import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort, type ManagedProcess, startProcess } from '@switchyard/core/testing';

export const SIPP_BIN = process.env.SIPP_BIN ?? '/usr/bin/sipp';
const SIPP_DIR = fileURLToPath(new URL('../../../../kamailio/sipp/', import.meta.url));
export const scenario = (name: string) => path.join(SIPP_DIR, name);

/** A SIPp UAS standing in for a media node; counts the INVITEs it received. */
export interface SippUas {
  readonly port: number;
  readonly uri: string;
  proc: ManagedProcess;
  invites(): Promise<number>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
  /** Starts it again on the same port (after a kill). */
  restart(): Promise<void>;
}

export async function tmpDir(tag: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `sy-${tag}-`));
}

/** `trace: false` (bench) skips the message log, which would slow the UAS down. */
export async function startUas(
  dir: string,
  name: string,
  { ip = '127.0.0.1', trace = true, scenarioFile = scenario('uas.xml') } = {},
): Promise<SippUas> {
  const port = await freeUdpPort(ip);
  const msgFile = path.join(dir, `${name}.msg`);
  const traceArgs = trace ? ['-trace_msg', '-message_file', msgFile, '-message_overwrite', 'false'] : [];
  const spawn = () =>
    startProcess(SIPP_BIN, [
      '-sf', scenarioFile, '-i', ip, '-p', String(port), '-aa', '-nostdin', '-deadcall_wait', '100',
      ...traceArgs,
    ]);
  const uas: SippUas = {
    port,
    uri: `sip:${ip}:${port}`,
    proc: spawn(),
    async invites() {
      return countInvites(await fs.readFile(msgFile, 'utf8').catch(() => ''));
    },
    stop: () => uas.proc.stop(),
    kill9: () => uas.proc.kill9(),
    async restart() {
      await uas.proc.stop();
      uas.proc = spawn();
    },
  };
  return uas;
}

/**
 * Distinct calls (Call-ID + From tag) whose INVITE a UAS logged: a retransmitted INVITE is
 * the same call, and the hash test replays Call-IDs from a new UAC (new From tag).
 */
function countInvites(log: string): number {
  const calls = new Set<string>();
  for (const block of log.split(/^-{10,}.*$/m)) {
    if (!/^INVITE sip:/m.test(block)) continue;
    const callId = block.match(/^Call-ID:\s*(.+)$/im)?.[1]?.trim();
    const fromTag = block.match(/^From:.*;tag=([^;\s]+)/im)?.[1];
    calls.add(`${callId}|${fromTag}`);
  }
  return calls.size;
}

export interface UacResult {
  exitCode: number | null;
  successful: number;
  failed: number;
  output: string;
}

export interface UacOptions {
  target: string;
  calls: number;
  rate: number;
  /** Call length (pause before BYE). */
  durationMs?: number;
  ip?: string;
  scenarioFile?: string;
  /** Overall timeout (SIPp -timeout) in seconds. */
  timeoutSecs?: number;
  extra?: string[];
}

/** Runs a SIPp UAC to completion (-m calls) and reads its final counters. */
export async function runUac(dir: string, o: UacOptions): Promise<UacResult> {
  const ip = o.ip ?? '127.0.0.1';
  const port = await freeUdpPort(ip);
  const stf = path.join(dir, `uac-${port}.csv`);
  const proc = startProcess(SIPP_BIN, [
    o.target, '-sf', o.scenarioFile ?? scenario('uac.xml'), '-s', '100', '-i', ip, '-p', String(port),
    '-m', String(o.calls), '-r', String(o.rate), '-d', String(o.durationMs ?? 0), '-nostdin',
    '-trace_stat', '-stf', stf, '-fd', '1', '-timeout', `${o.timeoutSecs ?? 30}s`, '-timeout_error',
    ...(o.extra ?? []),
  ]);
  const exitCode = await proc.exited;
  const stats = await readStat(stf);
  return {
    exitCode,
    successful: stats['SuccessfulCall(C)'] ?? 0,
    failed: stats['FailedCall(C)'] ?? 0,
    output: proc.output().slice(-3_000),
  };
}

/** Last row of a SIPp -trace_stat CSV as name → number. */
export async function readStat(file: string): Promise<Record<string, number>> {
  const lines = (await fs.readFile(file, 'utf8').catch(() => '')).trim().split('\n');
  if (lines.length < 2) return {};
  const head = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  const out: Record<string, number> = {};
  head.forEach((h, i) => {
    out[h] = Number(last[i]);
  });
  return out;
}
