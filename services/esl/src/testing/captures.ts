/**
 * Reader for the FreeSWITCH ESL wire captures in `../shared/freeswitch-captures/` (format in its
 * README: `@@ <seq> <dir> +<ms>ms <N> bytes\n`, N raw bytes, one `\n`; `#`/`## ` lines are notes).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Direction of a record: inbound files use C>S / S>C, outbound files APP>FS / FS>APP. */
export type CaptureDir = 'C>S' | 'S>C' | 'APP>FS' | 'FS>APP';

/** One record: the exact bytes one side sent. */
export interface CaptureRecord {
  seq: number;
  dir: CaptureDir;
  /** Milliseconds since the connection started. */
  ms: number;
  bytes: Buffer;
}

/** A parsed capture file. */
export interface Capture {
  name: string;
  /** `#` header lines (without the leading `# `). */
  comments: string[];
  records: CaptureRecord[];
}

/** Thrown for a capture file that does not follow the format. */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
}

const RECORD_LINE = /^@@ (\d+) (C>S|S>C|APP>FS|FS>APP) \+(\d+)ms (\d+) bytes$/;

/**
 * Parse capture bytes into records.
 *
 * @example
 * const cap = parseCapture(readFileSync(file), 'inbound-plain-api.txt');
 * fsSideBytes(cap); // the exact byte stream FreeSWITCH sent
 */
export function parseCapture(data: Buffer, name = 'capture'): Capture {
  const records: CaptureRecord[] = [];
  const comments: string[] = [];
  let pos = 0;
  while (pos < data.length) {
    let eol = data.indexOf(0x0a, pos);
    if (eol < 0) eol = data.length;
    const line = data.toString('latin1', pos, eol);
    pos = eol + 1;
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!line.startsWith('## ')) comments.push(line.replace(/^# ?/, ''));
      continue;
    }
    const m = RECORD_LINE.exec(line);
    if (!m) throw new CaptureFormatError(`${name}: unexpected line at byte ${pos}: ${JSON.stringify(line.slice(0, 80))}`);
    const n = Number(m[4]);
    if (pos + n > data.length) throw new CaptureFormatError(`${name}: record ${m[1]} truncated`);
    records.push({ seq: Number(m[1]), dir: m[2] as CaptureDir, ms: Number(m[3]), bytes: data.subarray(pos, pos + n) });
    pos += n;
    if (data[pos] === 0x0a) pos++;
  }
  return { name, comments, records };
}

/** True for FreeSWITCH-side directions (S>C, FS>APP). */
export function isFsSide(dir: CaptureDir): boolean {
  return dir === 'S>C' || dir === 'FS>APP';
}

/** Concatenated bytes of one side (default: what FreeSWITCH sent), in record order. */
export function sideBytes(cap: Capture, side: 'fs' | 'client' = 'fs'): Buffer {
  return Buffer.concat(cap.records.filter((r) => isFsSide(r.dir) === (side === 'fs')).map((r) => r.bytes));
}

/** The exact byte stream FreeSWITCH sent in a capture. */
export function fsSideBytes(cap: Capture): Buffer {
  return sideBytes(cap, 'fs');
}

/** Captures directory: `SWITCHYARD_CAPTURES_DIR`, else `<repo>/../shared/freeswitch-captures`. */
export function capturesDir(): string {
  const env = process.env['SWITCHYARD_CAPTURES_DIR'];
  if (env) return resolve(env);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return resolve(repoRoot, '../shared/freeswitch-captures');
}

/** Names of all capture files (`*.txt`), sorted. */
export function listCaptures(dir = capturesDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort();
}

/** Load and parse one capture by file name. */
export function loadCapture(file: string, dir = capturesDir()): Capture {
  return parseCapture(readFileSync(join(dir, file)), file);
}
