import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { seededRandom } from '@switchyard/core/testing';
import { describe, expect, it } from 'vitest';
import { SlabReader } from '../src/connection/slab-reader.ts';

describe('SlabReader', () => {
  it('hands on every byte in order, and a chunk already handed on is never overwritten by a later read', async () => {
    const rand = seededRandom(7);
    // 200 KB in random writes: with 4 KB slabs and a 512-byte minimum, the slab is replaced hundreds of times.
    const sent = Buffer.alloc(200_000);
    for (let i = 0; i < sent.length; i++) sent[i] = Math.floor(rand() * 256);
    const server = createServer(async (s: Socket) => {
      let off = 0;
      while (off < sent.length) {
        const n = Math.min(sent.length - off, 1 + Math.floor(rand() * 9000));
        if (!s.write(sent.subarray(off, off + n))) await once(s, 'drain');
        off += n;
        if (rand() < 0.3) await new Promise((r) => setImmediate(r));
      }
      s.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const reader = new SlabReader(4096, 512);
    const chunks: Buffer[] = [];
    const early: Buffer[] = [];
    const sock = connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', onread: reader.onread });
    const ended = once(sock, 'end');
    reader.deliverTo((c) => early.push(c));
    await new Promise((r) => setTimeout(r, 5));
    // A new target takes over where the last one stopped.
    reader.deliverTo((c) => chunks.push(c));
    await ended;
    sock.destroy();
    server.close();
    const all = [...early, ...chunks];
    expect(all.length).toBeGreaterThan(30);
    // Read at the end: each view still holds what arrived when it was handed on.
    expect(Buffer.concat(all).equals(sent)).toBe(true);
    for (const c of all) expect(c.length).toBeGreaterThan(0);
  });

  it('keeps chunks that arrive before a target, and delivers them first', () => {
    const reader = new SlabReader(1024, 256);
    const read = (text: string) => {
      const buf = (reader.onread.buffer as () => Uint8Array)();
      const n = Buffer.from(buf.buffer, buf.byteOffset, buf.length).write(text);
      reader.onread.callback(n, buf);
    };
    read('one ');
    read('two ');
    const got: string[] = [];
    reader.deliverTo((c) => got.push(c.toString()));
    read('three');
    expect(got).toEqual(['one ', 'two ', 'three']);
    // A zero-length read (end of stream) hands nothing on.
    reader.onread.callback(0, Buffer.alloc(0));
    expect(got).toHaveLength(3);
  });
});
