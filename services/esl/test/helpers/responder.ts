import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { EslFrameParser, encodeApiResponse, encodeCommandReply } from '../../src/index.ts';

/** A tiny FreeSWITCH stand-in: greets, answers auth/event/filter with +OK; `onCommand` can override. */
export interface Responder {
  port: number;
  /** Command lines received, one array per connection. */
  conns: string[][];
  /** Each received frame's exact bytes, one array per connection. */
  frames: Buffer[][];
  sockets: Socket[];
  close(): Promise<void>;
}
export async function responder(onCommand?: (line: string, socket: Socket, connIndex: number) => boolean): Promise<Responder> {
  const conns: string[][] = [];
  const frames: Buffer[][] = [];
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    const idx = conns.length;
    const seen: string[] = [];
    conns.push(seen);
    const raw: Buffer[] = [];
    frames.push(raw);
    sockets.push(s);
    s.setNoDelay(true);
    s.on('error', () => {});
    const p = new EslFrameParser();
    s.on('data', (c: Buffer) =>
      p.push(c, (f) => {
        const line = f.commandLine();
        seen.push(line);
        raw.push(Buffer.from(f.wireBytes())); // copy: the parser reuses its buffer
        if (onCommand?.(line, s, idx)) return;
        if (line.startsWith('api ')) s.write(encodeApiResponse(`ok ${line.slice(4)}`));
        else if (line === 'exit') {
          s.write(encodeCommandReply('+OK bye'));
          s.end();
        } else s.write(encodeCommandReply('+OK'));
      }),
    );
    s.write('Content-Type: auth/request\n\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    conns,
    frames,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
