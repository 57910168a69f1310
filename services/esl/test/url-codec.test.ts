import { describe, expect, it } from 'vitest';
import { decodeUtf8Lenient, urlDecode, urlDecodeBytes, urlEncode, urlEncodeBytes } from '../src/index.ts';

describe('FreeSWITCH URL codec', () => {
  it('encodes the characters switch_url_encode escapes, upper-case hex', () => {
    expect(urlEncode('2026-11-24 22:01:16')).toBe('2026-11-24%2022%3A01%3A16');
    expect(urlEncode('fd00::2')).toBe('fd00%3A%3A2');
    expect(urlEncode('a+b&c=d?e#f@g;h<i>j[k]l\\m^n`o{p|q}r"s')).toBe('a%2Bb%26c%3Dd%3Fe%23f%40g%3Bh%3Ci%3Ej%5Bk%5Dl%5Cm%5En%60o%7Bp%7Cq%7Dr%22s');
    expect(urlEncode('+OK\n')).toBe('%2BOK%0A');
    expect(urlEncode('José')).toBe('Jos%C3%A9');
    expect(urlEncode('plain-value_1.2/x,y(z)*!$~')).toBe('plain-value_1.2/x,y(z)*!$~');
  });

  it('passes an existing upper-case %XX through (no double encoding), but escapes %xx and a lone %', () => {
    expect(urlEncode('tone_stream://%(500,0,440)')).toBe('tone_stream%3A//%25(500,0,440)');
    expect(urlEncode('a%2Fb')).toBe('a%2Fb');
    expect(urlEncode('a%2fb')).toBe('a%252fb');
    expect(urlEncode('100%')).toBe('100%25');
    expect(urlEncodeBytes(Buffer.from([0x4a, 0xe9]))).toBe('J%E9');
  });

  it('decodes tolerantly: Latin-1 fallback, malformed escapes literal, _undef_ empty, never throws', () => {
    expect(urlDecode('Jos%E9')).toBe('José');
    expect(urlDecode('Jos%C3%A9')).toBe('José');
    expect(urlDecode('%C3%A9%E9')).toBe('éé');
    expect(urlDecode('_undef_')).toBe('');
    expect(urlDecode('x_undef_')).toBe('x_undef_');
    expect(urlDecode('%')).toBe('%');
    expect(urlDecode('%G1%4')).toBe('%G1%4');
    expect(urlDecode('%2bOK%0a')).toBe('+OK\n');
    expect(urlDecode('%ED%A0%80')).toBe('\u00ed\u00a0\u0080'); // encoded surrogate: not valid UTF-8
    expect(urlDecodeBytes(Buffer.from('Name: _undef_'), 6)).toBe('');
    expect(decodeUtf8Lenient(Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xff]))).toBe('😀\u00ff');
  });

  it('round-trips any string through encode/decode', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = 'aZ09 %:+&#\n\r\t"é€😀_undef_';
    for (let i = 0; i < 2000; i++) {
      const chars = Array.from(alphabet);
      let s = '';
      const n = Math.floor(rand() * 20);
      for (let k = 0; k < n; k++) s += chars[Math.floor(rand() * chars.length)];
      // FS encoding is lossy only for an existing upper-case %XX, and `_undef_` means empty.
      if (/%[0-9A-F]{2}/.test(s) || s === '_undef_') continue;
      expect(urlDecode(urlEncode(s))).toBe(s);
    }
  });
});
