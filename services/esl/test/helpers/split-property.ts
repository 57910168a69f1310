import { expect, it } from 'vitest';
import { type EslFrame, EslFrameParser } from '../../src/index.ts';
import { isFsSide, listCaptures, loadCapture, sideBytes } from '../../src/testing/index.ts';
import { rng } from './scripted-fs.ts';

function parseChunks(chunks: Buffer[], parser = new EslFrameParser()): EslFrame[] {
  const out: EslFrame[] = [];
  for (const c of chunks) parser.push(c, (f) => out.push(f));
  return out;
}


/** Register the split property tests for every capture whose index in the sorted list has `parity`. */
export function splitPropertyTests(parity: 0 | 1): void {
  const captures = listCaptures();
  it('finds the captures', () => {
    expect(captures.length).toBeGreaterThanOrEqual(20);
  });
  for (const file of captures.filter((_, i) => i % 2 === parity)) {
    it(`${file}: every two-way split yields exactly the recorded messages`, () => {
      const cap = loadCapture(file);
      const recs = cap.records.filter((r) => isFsSide(r.dir)).map((r) => r.bytes);
      expect(recs.length).toBeGreaterThan(0);
      // Whole stream in one read first.
      const all = parseChunks([sideBytes(cap)]);
      expect(all.map((f) => Buffer.from(f.wireBytes()))).toEqual(recs);
      // A split at stream offset k only affects the message containing k and the one after it:
      // between messages the parser holds no bytes (asserted below). So splitting each message
      // (followed by its successor) at every offset covers every two-way split of the stream.
      for (let i = 0; i < recs.length; i++) {
        const cur = recs[i]!;
        const next = recs[i + 1] ?? Buffer.alloc(0);
        const stream = Buffer.concat([cur, next]);
        const p = new EslFrameParser();
        const got: EslFrame[] = [];
        const collect = (f: EslFrame) => got.push(f);
        for (let k = 1; k <= cur.length; k++) {
          p.reset();
          got.length = 0;
          p.push(stream.subarray(0, k), collect);
          if (k < stream.length) p.push(stream.subarray(k), collect);
          const bad = got.length !== (next.length ? 2 : 1) || !got[0]!.wireBytes().equals(cur) || (next.length > 0 && !got[1]!.wireBytes().equals(next));
          if (bad || p.bufferedBytes !== 0) {
            throw new Error(`${file}: message ${i} split at ${k} parsed wrong (${got.length} frames)`);
          }
        }
      }
    });

    it(`${file}: random multi-splits and byte-at-a-time`, () => {
      const cap = loadCapture(file);
      const recs = cap.records.filter((r) => isFsSide(r.dir)).map((r) => r.bytes);
      const stream = sideBytes(cap);
      const rand = rng(file.length * 7919);
      for (let run = 0; run < 20; run++) {
        const chunks: Buffer[] = [];
        const maxChunk = [3, 64, 1500, 65536][run % 4]!;
        for (let pos = 0; pos < stream.length; ) {
          const n = 1 + Math.floor(rand() * maxChunk);
          chunks.push(stream.subarray(pos, pos + n));
          pos += n;
        }
        const got = parseChunks(chunks);
        expect(got.length).toBe(recs.length);
        expect(got.every((f, i) => f.wireBytes().equals(recs[i]!))).toBe(true);
      }
      const bytes: Buffer[] = [];
      for (let i = 0; i < stream.length; i++) bytes.push(stream.subarray(i, i + 1));
      expect(parseChunks(bytes).length).toBe(recs.length);
    });
  }
}
