import { describe, expect, it } from 'vitest';
import { Needle } from '../src/codec/needle.ts';
import { EslEvent, EslFrameParser, type EslFrame, encodeEvent } from '../src/index.ts';
import { isFsSide, listCaptures, loadCapture } from '../src/testing/index.ts';
import { rng } from './helpers/scripted-fs.ts';

function frames(bytes: Buffer): EslFrame[] {
  const out: EslFrame[] = [];
  new EslFrameParser().push(bytes, (f) => out.push(f));
  return out;
}

function eventOf(bytes: Buffer): EslEvent {
  const [f] = frames(bytes);
  const e = f && EslEvent.fromFrame(f);
  if (!e) throw new Error('not an event');
  return e;
}

describe('lazy event lookup', () => {
  it('finds every header of every captured event exactly as a full decode does', () => {
    let checked = 0;
    for (const file of listCaptures()) {
      for (const r of loadCapture(file).records) {
        if (!isFsSide(r.dir)) continue;
        for (const f of frames(r.bytes)) {
          const e = EslEvent.fromFrame(f);
          if (!e) continue;
          // Independent of the lookup: JSON.parse for json, the per-line header scan for plain.
          const want: Record<string, unknown> = e.format === 'json' ? (JSON.parse(f.bodyText()) as Record<string, unknown>) : e.headers();
          for (const [k, v] of Object.entries(want)) {
            if (k === '_body') continue;
            const expected = typeof v === 'string' ? (v === '_undef_' ? '' : v) : undefined;
            // A fresh event per key: the lazy path, not a cached full parse.
            if (eventOf(f.wireBytes()).get(k) !== expected) throw new Error(`${file}: ${e.format} ${e.name} ${k}`);
            checked++;
          }
          expect(e.get('No-Such-Header')).toBeUndefined();
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('json: matches only top-level keys, not key suffixes or text inside values', () => {
    const body = JSON.stringify({
      'X-Unique-ID': 'suffix',
      Note: '"Unique-ID":"inside a value", and ,"Unique-ID":"again"',
      'Application-UUID-Extra': 'longer key',
      'Unique-ID': 'the-real-one',
      'Escaped-Value': 'a "quoted" \\ caf\u00e9',
      'Event-Name': 'CUSTOM',
      List: ['Unique-ID', 'x'],
      'Application-UUID': 'app',
    });
    const e = eventOf(Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`));
    expect(e.uniqueId).toBe('the-real-one');
    expect(e.name).toBe('CUSTOM');
    expect(e.applicationUuid).toBe('app');
    expect(e.get('Escaped-Value')).toBe('a "quoted" \\ caf\u00e9');
    expect(e.get('List')).toBeUndefined();
    expect(e.jobUuid).toBeUndefined();
  });

  it('json: keys FreeSWITCH appends last are searched from the end, still only as top-level keys', () => {
    const body = JSON.stringify({
      'Event-Name': 'CHANNEL_EXECUTE_COMPLETE',
      'Application-UUID': 'the-real-one',
      Application: 'playback',
      'Application-Response': 'caf\u00e9 "done"',
      'Application-Data': '/tmp/a.wav',
      'variable_x': ',"Application-UUID":"inside a value"',
      _body: '{"Application-UUID":"inside the body","Application":"nope"}',
    });
    const e = eventOf(Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`));
    expect(e.applicationUuid).toBe('the-real-one');
    expect(e.get('Application')).toBe('playback');
    expect(e.get('Application-Response')).toBe('caf\u00e9 "done"');
    expect(e.get('Application-Data')).toBe('/tmp/a.wav');
    const none = JSON.stringify({ 'Event-Name': 'CUSTOM', Note: '"Application-UUID":"x"' });
    expect(eventOf(Buffer.from(`Content-Length: ${none.length}\nContent-Type: text/event-json\n\n${none}`)).applicationUuid).toBeUndefined();
  });

  it('plain: matches whole header names at a line start and never reads the inner body', () => {
    const wire = encodeEvent(
      'plain',
      [
        ['Event-Name', 'BACKGROUND_JOB'],
        ['Other-Leg-Unique-ID', 'other'],
        ['Unique-ID', 'mine'],
        ['Caller-Name', 'Jos\u00e9'],
      ],
      'Job-UUID: in-the-body\n\nApplication-UUID: also-body\n',
    );
    const e = eventOf(wire);
    expect(e.name).toBe('BACKGROUND_JOB');
    expect(e.uniqueId).toBe('mine');
    expect(e.get('Caller-Name')).toBe('Jos\u00e9');
    expect(e.jobUuid).toBeUndefined();
    expect(e.applicationUuid).toBeUndefined();
    expect(e.body).toBe('Job-UUID: in-the-body\n\nApplication-UUID: also-body\n');
  });
});

describe('Needle', () => {
  it('finds the same first occurrence as a plain search, from any offset', () => {
    const rand = rng(42);
    const alphabet = 'ea"-:\nCAUIDqJ';
    const pick = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    for (let run = 0; run < 3000; run++) {
      const needle = Buffer.from(pick(1 + Math.floor(rand() * 9)), 'latin1');
      const hay = Buffer.from(pick(Math.floor(rand() * 200)), 'latin1');
      const from = Math.floor(rand() * 50);
      const n = new Needle(needle);
      expect(n.indexIn(hay, from)).toBe(hay.indexOf(needle, from));
      const before = Math.floor(rand() * 220);
      expect(n.lastIndexIn(hay, before)).toBe(hay.lastIndexOf(needle, before));
      expect(n.lastIndexIn(hay)).toBe(hay.lastIndexOf(needle));
    }
  });
});
