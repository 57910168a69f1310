import type { ServerResponse } from 'node:http';

/** Writes text chunks to a response, waiting for `drain` when the client reads slowly; then ends it. */
export async function writeChunks(res: ServerResponse, chunks: AsyncIterable<string> | AsyncIterator<string>, first?: string): Promise<void> {
  const it = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks;
  if (first !== undefined && !res.write(first)) await new Promise((r) => res.once('drain', r));
  for (let n = await it.next(); !n.done; n = await it.next()) {
    if (!res.write(n.value)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}
