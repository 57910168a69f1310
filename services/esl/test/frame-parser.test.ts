import { describe, expect, it } from 'vitest';
import { EslFrameParser, EslProtocolError, type EslFrame } from '../src/index.ts';
import { loadCapture } from '../src/testing/index.ts';

function parseChunks(chunks: Buffer[], parser = new EslFrameParser()): EslFrame[] {
  const out: EslFrame[] = [];
  for (const c of chunks) parser.push(c, (f) => out.push(f));
  return out;
}

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

  it('frames a CRLF command stream split at every pair of offsets', () => {
    const stream = Buffer.from('\r\nauth ClueCon\r\n\r\nsendmsg abc\r\ncontent-length: 5\r\n\r\nhe\n\nxapi status\n\nexit\n\r\n');
    const want = ['auth ClueCon', 'sendmsg abc', 'api status', 'exit'];
    for (let i = 1; i < stream.length; i++) {
      for (let j = i; j < stream.length; j++) {
        const got = parseChunks([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]);
        if (got.map((f) => f.commandLine()).join('|') !== want.join('|') || got[1]!.bodyText() !== 'he\n\nx') {
          throw new Error(`split at ${i}/${j}: ${got.map((f) => f.commandLine()).join('|')}`);
        }
      }
    }
  });

  it('reads the event header block in one pass and leaves every other form to the general path', () => {
    const body = '{"Event-Name":"X"}';
    const forms = [
      `Content-Length: ${body.length}\nContent-Type: text/event-json\n\n`,
      `Content-Length: ${body.length} \nContent-Type: text/event-json\n\n`,
      `content-length: ${body.length}\nContent-Type: text/event-json\n\n`,
      `Content-Length: ${body.length}\nContent-Type: text/event-json\nX-Extra: 1\n\n`,
      `Content-Type: text/event-json\nContent-Length: ${body.length}\n\n`,
    ];
    const frames = parseChunks(forms.map((head) => Buffer.from(head + body)));
    expect(frames.map((f) => [f.contentType, f.bodyText()])).toEqual(forms.map(() => ['text/event-json', body]));
    expect(frames[3]!.header('X-Extra')).toBe('1');
    const q = new EslFrameParser({ maxBodyBytes: 10 });
    expect(() => q.push(Buffer.from('Content-Length: 11\nContent-Type: text/event-json\n\n'), () => {})).toThrow(/exceeds 10/);
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
