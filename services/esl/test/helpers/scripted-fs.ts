/**
 * A scripted FreeSWITCH over loopback TCP: plays a capture's FreeSWITCH-side records, waiting for
 * each client write the capture recorded before continuing, then closes. FS bytes are written in
 * random-sized pieces so the client sees arbitrary TCP splits.
 */

import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { EslFrameParser } from '../../src/index.ts';
import { type Capture, isFsSide } from '../../src/testing/index.ts';

/** Deterministic PRNG. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** What the scripted side saw. */
export interface ScriptResult {
  /** Command lines the client sent, in order. */
  commands: string[];
}

/** Play `cap` on `socket` (we are FreeSWITCH). Resolves after the script ends and the socket closed. */
export async function playScript(socket: Socket, cap: Capture, seed = 1): Promise<ScriptResult> {
  socket.setNoDelay(true);
  const rand = rng(seed);
  const parser = new EslFrameParser();
  const commands: string[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  socket.on('data', (c: Buffer) =>
    parser.push(c, (f) => {
      commands.push(f.commandLine());
      wake?.();
    }),
  );
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  const pending: Buffer[] = [];
  const flush = async () => {
    const all = Buffer.concat(pending.splice(0));
    for (let pos = 0; pos < all.length && !closed; ) {
      const n = 1 + Math.floor(rand() * 3000);
      socket.write(all.subarray(pos, pos + n));
      pos += n;
      if (rand() < 0.3) await new Promise((r) => setImmediate(r));
    }
  };
  let need = 0;
  for (const rec of cap.records) {
    if (isFsSide(rec.dir)) {
      pending.push(rec.bytes);
      continue;
    }
    await flush();
    need++;
    while (commands.length < need && !closed) await new Promise<void>((r) => (wake = r));
    if (closed) break;
  }
  await flush();
  if (!closed) {
    socket.end();
    await once(socket, 'close');
  }
  return { commands };
}

/** A listening scripted FreeSWITCH (inbound mode): each accepted connection plays `scripts[i]`. */
export async function startScriptedFs(scripts: Capture[], seed = 1): Promise<{ port: number; results: Promise<ScriptResult>[]; server: Server; close: () => Promise<void> }> {
  const results: Promise<ScriptResult>[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    const cap = scripts[results.length];
    if (!cap) {
      s.destroy();
      return;
    }
    results.push(playScript(s, cap, seed + results.length));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    results,
    server,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Outbound mode: dial our server as FreeSWITCH would and play the capture. */
export async function dialScriptedFs(port: number, cap: Capture, seed = 1): Promise<ScriptResult> {
  const s = connect({ host: '127.0.0.1', port });
  await once(s, 'connect');
  return playScript(s, cap, seed);
}

/** Content-Type of a recorded FS message (outbound connect reply has it near the end). */
export function recordContentType(bytes: Buffer): string {
  const head = bytes.toString('utf8', 0, Math.max(0, bytes.indexOf('\n\n')));
  return /^Content-Type: (.*)$/m.exec(head)?.[1] ?? '';
}

/** FS-side records of a capture, classified. */
export function expectedMessages(cap: Capture): { replies: Buffer[]; events: Buffer[]; notices: Buffer[]; other: Buffer[] } {
  const out = { replies: [] as Buffer[], events: [] as Buffer[], notices: [] as Buffer[], other: [] as Buffer[] };
  for (const r of cap.records) {
    if (!isFsSide(r.dir)) continue;
    const ct = recordContentType(r.bytes);
    if (ct === 'command/reply' || ct === 'api/response') out.replies.push(r.bytes);
    else if (ct.startsWith('text/event-')) out.events.push(r.bytes);
    else if (ct === 'text/disconnect-notice') out.notices.push(r.bytes);
    else out.other.push(r.bytes);
  }
  return out;
}
