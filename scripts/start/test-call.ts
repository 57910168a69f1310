import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database, Kysely } from '@switchyard/core';
import { freeUdpPort, startProcess } from '@switchyard/core/testing';
import { uacScenarioXml } from '../sipp/uac-scenario.ts';

export const SIPP_BIN = process.env.SIPP_BIN ?? '/usr/bin/sipp';

/** One SIPp call into the edge. */
export interface TestCallOptions {
  /** Kamailio's SIP address, `host:port`. */
  edge: string;
  /** Called number (DID). */
  to: string;
  dtmf: string[];
  /** Pause before the first digit, then between digits (ms). */
  firstDigitMs?: number;
  digitGapMs?: number;
  /** After the last digit: wait this long for the IVR's BYE, then hang up. */
  holdMs?: number;
  /** The IVR must hang up within `holdMs`: its BYE (through the edge) not arriving fails the call. */
  requireRemoteBye?: boolean;
  /** Caller number (unique per call, so its call-log rows can be found). */
  caller?: string;
  /** Source address (127.0.0.x). */
  sourceIp?: string;
  /** Load: this many calls (same scenario and caller) at `rate` calls/s; default one call. */
  calls?: number;
  rate?: number;
  /** Extra seconds before SIPp gives up (drills: outages stall calls). */
  extraBudgetS?: number;
}

export interface TestCallResult {
  caller: string;
  startedAt: Date;
  ok: boolean;
  /** SIPp's counters (from its final statistics screen). */
  created: number;
  /** Calls the edge refused with 503 (no node up): they never reached a node, so have no leg. */
  rejected503: number;
  successful: number;
  failed: number;
  output: string;
}

/** SIPp's end-of-run "Successful call" / "Failed call" cumulative counters. */
export function sippCounters(output: string): { created: number; successful: number; failed: number } {
  const last = (name: string) => {
    const all = [...output.matchAll(new RegExp(`${name}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`, 'g'))];
    return Number(all.at(-1)?.[1] ?? 0);
  };
  return { created: last('Outgoing calls created'), successful: last('Successful call'), failed: last('Failed call') };
}

/** A fresh caller number the call log can be searched by. */
export function uniqueCaller(): string {
  return `4479${String(Date.now() % 1e7).padStart(7, '0')}${Math.floor(Math.random() * 100).toString().padStart(2, '0')}`;
}

/** Runs one SIPp UAC call through the edge and resolves when SIPp exits. */
export async function placeSippCall(o: TestCallOptions): Promise<TestCallResult> {
  const caller = o.caller ?? uniqueCaller();
  const first = o.firstDigitMs ?? 4_500;
  const gap = o.digitGapMs ?? 2_500;
  const xml = uacScenarioXml({
    caller,
    holdMs: o.holdMs ?? 20_000,
    requireRemoteBye: o.requireRemoteBye,
    dtmf: o.dtmf.map((digit, i) => ({ digit, afterMs: i === 0 ? first : gap })),
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-call-'));
  const file = path.join(dir, 'uac.xml');
  writeFileSync(file, xml);
  const ip = o.sourceIp ?? '127.0.0.1';
  const port = await freeUdpPort(ip);
  const calls = o.calls ?? 1;
  const rate = o.rate ?? 1;
  const budgetS = Math.ceil((first + gap * o.dtmf.length + (o.holdMs ?? 20_000)) / 1000 + calls / rate) + 20 + (o.extraBudgetS ?? 0);
  const startedAt = new Date();
  const proc = startProcess(SIPP_BIN, [
    o.edge, '-sf', file, '-s', o.to, '-m', String(calls), '-r', String(rate), '-l', String(Math.max(1, calls)), '-i', ip, '-p', String(port),
    '-nostdin', '-timeout', `${budgetS}s`, '-timeout_error', '-recv_timeout', `${budgetS * 1000}`,
    '-trace_err', '-error_file', path.join(dir, 'errors.log'),
  ]);
  const code = await proc.exited;
  const errors = code === 0 ? '' : readFileSafe(path.join(dir, 'errors.log'));
  const rejected503 = [...errors.matchAll(/while expecting '\d+' \(index 1\), received 'SIP\/2\.0 503/g)].length;
  rmSync(dir, { recursive: true, force: true });
  const out = proc.output();
  return { caller, startedAt, ok: code === 0, rejected503, ...sippCounters(out), output: errors ? `${errors.slice(0, 3_000)}\n${out.slice(-1_000)}` : out };
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export type CallLegRow = Awaited<ReturnType<typeof legsOf>>[number];
export type IvrStepRow = Awaited<ReturnType<typeof stepsOf>>[number];

function legsOf(db: Kysely<Database>, caller: string, since: Date) {
  return db
    .selectFrom('call_legs')
    .selectAll()
    .where('caller', 'like', `%${caller}`)
    .where('started_at', '>=', new Date(since.getTime() - 60_000))
    .orderBy('started_at')
    .execute();
}

function stepsOf(db: Kysely<Database>, legIds: string[]) {
  return db.selectFrom('ivr_steps').selectAll().where('leg_id', 'in', legIds).orderBy('leg_id').orderBy('seq').execute();
}

/** The call's legs and IVR steps once the recorder has written them (every leg ended). */
export interface CallRecord {
  legs: CallLegRow[];
  steps: IvrStepRow[];
}

/** Polls Postgres until the caller's legs exist and have all ended, or the deadline passes (null). */
export async function waitCallRecord(db: Kysely<Database>, caller: string, since: Date, timeoutMs = 20_000): Promise<CallRecord | null> {
  const deadline = Date.now() + timeoutMs;
  let last: CallRecord | null = null;
  while (Date.now() < deadline) {
    const legs = await legsOf(db, caller, since);
    if (legs.length > 0) {
      last = { legs, steps: await stepsOf(db, legs.map((l) => l.leg_id)) };
      if (legs.every((l) => l.ended_at !== null) && last.steps.length > 0) return last;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return last?.legs.every((l) => l.ended_at !== null) ? last : null;
}

/** The IVR path: state names in step order (the call's first leg). */
export function ivrPath(rec: CallRecord): string[] {
  return rec.steps.filter((s) => s.kind === 'state').map((s) => s.state);
}
