import { describe, expect, it } from 'vitest';
import { EslFrameParser, EslProtocolError, type EslFrame } from '../src/index.ts';
import { isFsSide, listCaptures, loadCapture, sideBytes } from '../src/testing/index.ts';

function parseChunks(chunks: Buffer[], parser = new EslFrameParser()): EslFrame[] {
  const out: EslFrame[] = [];
  for (const c of chunks) parser.push(c, (f) => out.push(f));
  return out;
}

/** Deterministic PRNG so a failing random split is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const captures = listCaptures();

describe('framing over captures', () => {
  it('finds the captures', () => {
    expect(captures.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of captures) {
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
        for (let k = 1; k <= cur.length; k++) {
          const p = new EslFrameParser();
          const got: EslFrame[] = [];
          p.push(stream.subarray(0, k), (f) => got.push(f));
          if (k < stream.length) p.push(stream.subarray(k), (f) => got.push(f));
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
});

describe('framing edge cases', () => {
  it('handles Content-Length: 0, bodies containing \\n\\n and many frames per read', () => {
    const linger = 'Content-Type: text/disconnect-notice\nContent-Disposition: linger\nLinger-Time: -1\nContent-Length: 0\n\n';
    const api = 'Content-Type: api/response\nContent-Length: 7\n\na\n\nb\n\nc';
    const reply = 'Content-Type: command/reply\nReply-Text: +OK\n\n';
    const frames = parseChunks([Buffer.from(linger + api + reply + linger)]);
    expect(frames.map((f) => f.contentType)).toEqual(['text/disconnect-notice', 'api/response', 'command/reply', 'text/disconnect-notice']);
    expect(frames[0]!.body.length).toBe(0);
    expect(frames[1]!.bodyText()).toBe('a\n\nb\n\nc');
    expect(frames[2]!.replyText).toBe('+OK');
  });

  it('keeps frames intact after later reads reuse the internal buffer', () => {
    const p = new EslFrameParser();
    const got: EslFrame[] = [];
    const frame = (i: number) => `Content-Type: api/response\nContent-Length: 3\n\n${String(i).padStart(3, '0')}`;
    const stream = Buffer.from(Array.from({ length: 200 }, (_, i) => frame(i)).join(''));
    for (let pos = 0; pos < stream.length; pos += 37) p.push(stream.subarray(pos, pos + 37), (f) => got.push(f));
    expect(got.map((f) => f.bodyText())).toEqual(Array.from({ length: 200 }, (_, i) => String(i).padStart(3, '0')));
  });

  it('parses client commands like FreeSWITCH: CR stripped, leading blank lines, case-insensitive content-length', () => {
    const p = new EslFrameParser();
    const got: EslFrame[] = [];
    p.push(Buffer.from('\n\r\nauth ClueCon\r\n\r\nsendmsg abc\r\ncall-command: execute\r\nexecute-app-name: log\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhe\n\nx'), (f) => got.push(f));
    p.push(Buffer.from('api status\n'), (f) => got.push(f));
    expect(got.length).toBe(2);
    p.push(Buffer.from('\n'), (f) => got.push(f));
    expect(got.map((f) => f.commandLine())).toEqual(['auth ClueCon', 'sendmsg abc', 'api status']);
    expect(got[1]!.commandHeaders()).toEqual({ 'call-command': 'execute', 'execute-app-name': 'log', 'content-type': 'text/plain', 'content-length': '5' });
    expect(got[1]!.bodyText()).toBe('he\n\nx');
    expect(got[1]!.header('Execute-App-Name')).toBe('log');
  });

  it('rejects oversize header blocks and bodies, bad Content-Length, and stays failed', () => {
    const p = new EslFrameParser({ maxHeaderBytes: 100 });
    expect(() => p.push(Buffer.from('X: ' + 'a'.repeat(200)), () => {})).toThrow(EslProtocolError);
    expect(() => p.push(Buffer.from('\n\n'), () => {})).toThrow(EslProtocolError);
    const q = new EslFrameParser({ maxBodyBytes: 10 });
    expect(() => q.push(Buffer.from('Content-Length: 11\n\n'), () => {})).toThrow(/exceeds 10/);
    const r = new EslFrameParser();
    expect(() => r.push(Buffer.from('Content-Length: 1x\n\n'), () => {})).toThrow(/not a number/);
    const s = new EslFrameParser();
    expect(() => s.push(Buffer.from('Content-Length: 99999999999999999\n\n'), () => {})).toThrow(EslProtocolError);
  });

  it('reports a truncated frame as buffered bytes', () => {
    const p = new EslFrameParser();
    const got: EslFrame[] = [];
    p.push(Buffer.from('Content-Type: api/response\nContent-Length: 10\n\nabc'), (f) => got.push(f));
    expect(got.length).toBe(0);
    expect(p.bufferedBytes).toBe(50);
  });

  it('lazy header access finds headers anywhere and decodes all on request', () => {
    const cap = loadCapture('outbound-async-plain-linger.txt');
    const [connect] = parseChunks([cap.records.find((r) => r.dir === 'FS>APP')!.bytes]);
    expect(connect!.contentType).toBe('command/reply');
    expect(connect!.replyText).toBe('%2BOK%0A');
    expect(connect!.headers.getDecoded('Reply-Text')).toBe('+OK\n');
    expect(connect!.header('socket-mode')).toBe('async');
    const all = connect!.allHeaders(true);
    expect(Object.keys(all).length).toBeGreaterThan(100);
    expect(all['Event-Name']).toBe('CHANNEL_DATA');
    expect(all['Unique-ID']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
