/**
 * Bench child process: a minimal FreeSWITCH event socket on loopback. Greets, accepts any auth,
 * answers `api status` at once, and after a connection's first `event <format> …` streams
 * `count` CHANNEL_EXECUTE_COMPLETE events in that format as fast as the socket takes them
 * (batched writes, honouring backpressure). Prints `{"port":N}` on stdout when listening.
 *
 * Usage: node --import tsx bench/lib/esl-streamer.ts <count>
 */

import { createServer, type Socket } from 'node:net';
import { EslFrameParser, encodeApiResponse, encodeCommandReply } from '@switchyard/esl';
import { buildExecuteCompleteFixture } from './esl-event-fixture.ts';

const count = Number(process.argv[2] ?? 100_000);
const fixture = buildExecuteCompleteFixture();
const BATCH = 32;
const batches = { plain: Buffer.concat(Array(BATCH).fill(fixture.plain)), json: Buffer.concat(Array(BATCH).fill(fixture.json)) };
const STATUS = 'UP 0 years, 0 days, 0 hours, 0 minutes, 25 seconds, 527 milliseconds, 560 microseconds\nFreeSWITCH (Version 1.10.12-release  64bit) is ready\n0 session(s) since startup\n0 session(s) - peak 0, last 5min 0 \n0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n100 session(s) max\nmin idle cpu 0.00/91.30\nCurrent Stack Size/Max 240K/8192K\n';

async function stream(s: Socket, format: 'plain' | 'json'): Promise<void> {
  let left = count;
  while (left > 0 && !s.destroyed) {
    const n = Math.min(BATCH, left);
    const ok = s.write(n === BATCH ? batches[format] : batches[format].subarray(0, n * (format === 'plain' ? fixture.plain : fixture.json).length));
    left -= n;
    if (!ok) await drainOrClose(s);
  }
}

/** Wait for 'drain' or 'close', removing both listeners (one pair per full socket buffer, not one leaked per wait). */
function drainOrClose(s: Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      s.off('drain', done).off('close', done);
      resolve();
    };
    s.on('drain', done).on('close', done);
  });
}

const server = createServer((s) => {
  s.setNoDelay(true);
  s.on('error', () => {});
  let streaming = false;
  const parser = new EslFrameParser();
  s.on('data', (chunk: Buffer) => {
    try {
      parser.push(chunk, (f) => {
        const line = f.commandLine();
        if (line.startsWith('api ')) s.write(encodeApiResponse(STATUS));
        else if (line === 'exit') s.end(encodeCommandReply('+OK bye'));
        else if (line.startsWith('event ')) {
          const format = line.split(' ')[1] === 'json' ? 'json' : 'plain';
          s.write(encodeCommandReply(`+OK event listener enabled ${format}`));
          if (!streaming) {
            streaming = true;
            void stream(s, format);
          }
        } else if (line.startsWith('auth ')) s.write(encodeCommandReply('+OK accepted'));
        else s.write(encodeCommandReply('+OK'));
      });
    } catch {
      s.destroy();
    }
  });
  s.write('Content-Type: auth/request\n\n');
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, plainBytes: fixture.plain.length, jsonBytes: fixture.json.length, headers: fixture.headerCount }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
