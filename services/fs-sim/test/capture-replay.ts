import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Capture, capturesDir, isFsSide, loadCapture } from '@switchyard/esl/testing';
import { EslFrameParser } from '@switchyard/esl';
import type { RawEslClient, SeenFrame } from './raw-client.ts';

/** A capture record or a `## ` note, in file order. */
export type Step = { kind: 'record'; index: number } | { kind: 'note'; text: string };

/** Records and notes in file order (the esl reader drops notes). */
export function stepsOf(file: string): { cap: Capture; steps: Step[]; fs: SeenFrame[] } {
  const cap = loadCapture(file);
  const text = readFileSync(join(capturesDir(), file), 'latin1');
  const steps: Step[] = [];
  let rec = 0;
  let pos = 0;
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const line = text.slice(pos, eol < 0 ? text.length : eol);
    if (line.startsWith('@@ ')) {
      const n = Number(/ (\d+) bytes$/.exec(line)?.[1] ?? 0);
      steps.push({ kind: 'record', index: rec++ });
      pos = eol + 1 + n + 1;
      continue;
    }
    if (line.startsWith('## ')) steps.push({ kind: 'note', text: line.slice(3) });
    pos = eol < 0 ? text.length : eol + 1;
  }
  const fs: SeenFrame[] = [];
  const parser = new EslFrameParser();
  for (const r of cap.records) if (isFsSide(r.dir)) parser.push(r.bytes, (f) => fs.push(toSeenFromFrame(f)));
  return { cap, steps, fs };
}

import type { EslFrame } from '@switchyard/esl';
import { toSeen } from './raw-client.ts';
function toSeenFromFrame(f: EslFrame): SeenFrame {
  return toSeen(f);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Is this frame an event (vs a reply to a command)? */
export const isEvent = (f: SeenFrame): boolean => f.contentType.startsWith('text/event-') || f.contentType === 'log/data';

/** Channel uuids in order of first appearance (Unique-ID of events, connect reply). */
export function channelUuids(frames: SeenFrame[]): string[] {
  const out: string[] = [];
  for (const f of frames) {
    const u = f.event?.find(([k]) => k === 'Unique-ID')?.[1] ?? f.headers['Unique-ID'];
    if (u && !out.includes(u)) out.push(u);
  }
  return out;
}

/**
 * Replay the client side of a capture against a live connection: before each client record,
 * wait until the simulator has sent as many replies as FreeSWITCH had, and (when the last FS
 * frame before it was an event we simulate) that many events of that name. Capture channel
 * uuids are rewritten to the simulator's. `onNote` lets the scenario act like SIPp did.
 */
export async function replay(
  file: string,
  client: RawEslClient,
  supported: ReadonlySet<string>,
  onNote: (text: string) => void | Promise<void>,
  rewrite: (clientText: string) => string = (t) => t,
): Promise<{ fs: SeenFrame[] }> {
  const { cap, steps, fs } = stepsOf(file);
  let fsSeen = 0; // FS frames before the current point
  const fsCountByRecord: number[] = [];
  {
    const parser = new EslFrameParser();
    let n = 0;
    for (const r of cap.records) {
      if (isFsSide(r.dir)) parser.push(r.bytes, () => n++);
      fsCountByRecord.push(n);
    }
  }
  const sync = async (): Promise<void> => {
    const before = fs.slice(0, fsSeen);
    const replies = before.filter((f) => !isEvent(f)).length;
    await client.until(() => client.frames.filter((f) => !isEvent(f)).length >= replies, 15000);
    const last = [...before].reverse().find((f) => f.eventName && supported.has(f.eventName));
    if (last?.eventName) {
      const want = before.filter((f) => f.eventName === last.eventName).length;
      const name = last.eventName;
      await client.until(() => client.frames.filter((f) => f.eventName === name).length >= want, 15000);
    }
  };
  for (const st of steps) {
    if (st.kind === 'note') {
      await sync();
      await onNote(st.text);
      continue;
    }
    const r = cap.records[st.index];
    if (!r || isFsSide(r.dir)) {
      fsSeen = fsCountByRecord[st.index] ?? fsSeen;
      continue;
    }
    await sync();
    const capUuids = channelUuids(fs);
    const simUuids = channelUuids(client.frames);
    let out = r.bytes.toString('latin1');
    out = out.replace(UUID, (u) => {
      const i = capUuids.indexOf(u);
      return i >= 0 && simUuids[i] ? (simUuids[i] as string) : u;
    });
    client.write(Buffer.from(rewrite(out), 'latin1'));
  }
  return { fs };
}

/** Normalise a reply text/body for comparison: uuids, numbers in volatile replies. */
export function normReply(s: string): string {
  return s.replace(UUID, '<uuid>');
}
