import { describe, expect, it } from 'vitest';
import { BytePattern, viewOf } from '../src/codec/byte-pattern.ts';
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

describe('json lookup, randomised', () => {
  it('reads every key as JSON.parse does: any value bytes, any key order, any alignment, events before and after', () => {
    const rand = rng(7);
    // Quotes, backslashes, control characters, Latin-1 and multi-byte UTF-8, the key syntax itself.
    const alphabet = ['a', 'Z', '0', '-', ' ', '"', '\\', '\n', '\t', '\u0001', '\u00e9', '\u20ac', '\ud83d\ude00', ':', ',', '{', '}', 'Application-UUID', '"Unique-ID":"'];
    const value = () => Array.from({ length: Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    const names = ['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_EXECUTE_COMPLETF', 'CHANNEL_EXECUTE', 'API', 'LOG', 'AP', 'CUSTOM', 'NOT_AN_EVENT', ''];
    const keys = ['Unique-ID', 'Application', 'Application-Data', 'Application-Response', 'Job-UUID', 'variable_x'];
    let checked = 0;
    for (let run = 0; run < 3000; run++) {
      const obj: Record<string, string> = {};
      const nameFirst = rand() < 0.8;
      const name = rand() < 0.7 ? names[Math.floor(rand() * names.length)]! : value();
      if (nameFirst) obj['Event-Name'] = name;
      for (const k of keys) if (rand() < 0.6) obj[k] = value();
      if (!nameFirst) obj['Event-Name'] = name;
      if (rand() < 0.7) obj['Application-UUID'] = rand() < 0.5 ? value() : '0b3e5c1a-0000-4000-8000-00000000be01';
      if (rand() < 0.3) obj['After-Last'] = value();
      const body = JSON.stringify(obj);
      const frame = Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`);
      // Padding shifts every word read to each alignment; a following event tests the search bound.
      const pad = Buffer.from('\n'.repeat(Math.floor(rand() * 8)));
      const next = '{"Unique-ID":"next","Application-UUID":"n"}';
      const after = rand() < 0.5 ? Buffer.from(`Content-Length: ${next.length}\nContent-Type: text/event-json\n\n${next}`) : Buffer.alloc(0);
      const got: EslEvent[] = [];
      new EslFrameParser().push(Buffer.concat([pad, frame, after]), (f) => got.push(EslEvent.fromFrame(f)!));
      expect(got.length).toBe(after.length ? 2 : 1);
      const e = got[0]!;
      for (const k of ['Event-Name', 'Application-UUID', 'After-Last', ...keys]) {
        const want = obj[k] === undefined ? undefined : obj[k] === '_undef_' ? '' : obj[k];
        // A fresh event per key, as in the capture test: each lookup takes the lazy path.
        const fresh: EslEvent[] = [];
        new EslFrameParser().push(Buffer.concat([pad, frame, after]), (f) => fresh.push(EslEvent.fromFrame(f)!));
        if (fresh[0]!.get(k) !== want) throw new Error(`run ${run}: ${k} of ${body}: got ${JSON.stringify(fresh[0]!.get(k))}`);
        checked++;
      }
      expect(e.name).toBe(obj['Event-Name']);
      expect(e.uniqueId).toBe(obj['Unique-ID']);
      expect(e.applicationUuid).toBe(obj['Application-UUID']);
    }
    expect(checked).toBe(3000 * 9);
  });

  it('hands out one shared string per known event name, and reads unknown names too', () => {
    const ev = (name: string) => {
      const body = JSON.stringify({ 'Event-Name': name, 'Unique-ID': 'u' });
      return eventOf(Buffer.from(`Content-Length: ${body.length}\nContent-Type: text/event-json\n\n${body}`));
    };
    expect(ev('CHANNEL_EXECUTE_COMPLETE').name).toBe('CHANNEL_EXECUTE_COMPLETE');
    expect(ev('CHANNEL_EXECUTE_COMPLETX').name).toBe('CHANNEL_EXECUTE_COMPLETX');
    expect(ev('API').name).toBe('API');
    expect(ev('APX').name).toBe('APX');
  });
});

/** The reference for BytePattern: `bytes` at `buf[at]`, wholly before `end`, compared byte by byte. */
function bytesAt(buf: Buffer, at: number, end: number, bytes: Buffer): boolean {
  if (at < 0 || end - at < bytes.length) return false;
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}

describe('BytePattern', () => {
  it('matches exactly where a byte-by-byte compare does, at every offset and near the end', () => {
    const rand = rng(99);
    const alphabet = 'ab"\n\u00ff';
    const pick = (n: number) => Buffer.from(Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''), 'latin1');
    for (let run = 0; run < 2000; run++) {
      const pat = pick(1 + Math.floor(rand() * 20));
      const p = new BytePattern(pat);
      // Plant the pattern sometimes, so matches are exercised as well as misses.
      const hay = Buffer.concat([pick(Math.floor(rand() * 30)), rand() < 0.5 ? pat : pick(pat.length), pick(Math.floor(rand() * 5))]);
      const dv = viewOf(hay);
      for (let at = -1; at <= hay.length; at++) {
        const end = Math.floor(rand() * (hay.length + 1));
        expect(p.at(dv, at, end)).toBe(bytesAt(hay, at, end, pat));
        expect(p.at(dv, at, hay.length)).toBe(bytesAt(hay, at, hay.length, pat));
      }
    }
  });
});

describe('Needle', () => {
  it('finds the same first and last occurrence inside a range as a plain search, for any range', () => {
    const rand = rng(42);
    const alphabet = 'ea"-:\nCAUIDqJ';
    const pick = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    for (let run = 0; run < 5000; run++) {
      const needle = Buffer.from(pick(1 + Math.floor(rand() * 9)), 'latin1');
      const hay = Buffer.from(pick(Math.floor(rand() * 200)), 'latin1');
      const from = Math.floor(rand() * 50);
      const end = Math.floor(rand() * (hay.length + 1));
      const n = new Needle(needle);
      const dv = viewOf(hay);
      // Reference: the range cut out, searched natively.
      const inRange = hay.subarray(0, end);
      const first = from > end ? -1 : inRange.indexOf(needle, from);
      const lastAt = inRange.lastIndexOf(needle);
      expect(n.indexIn(hay, dv, from, end)).toBe(first);
      expect(n.lastIndexIn(hay, dv, from, end)).toBe(lastAt >= from ? lastAt : -1);
      expect(n.indexIn(hay, dv, 0, hay.length)).toBe(hay.indexOf(needle));
      expect(n.lastIndexIn(hay, dv, 0, hay.length)).toBe(hay.lastIndexOf(needle));
    }
  });
});
