import { describe, expect, it } from 'vitest';
import { NameCache } from '../src/codec/name-cache.ts';

describe('NameCache', () => {
  it('builds a value once per name, and past its cap builds without keeping', () => {
    let built = 0;
    const cache = new NameCache((name) => ({ name, n: ++built }), 2);
    const a = cache.get('a');
    expect(cache.get('a')).toBe(a);
    cache.get('b');
    expect(built).toBe(2);
    const c1 = cache.get('c');
    const c2 = cache.get('c');
    expect(c1).not.toBe(c2); // over the cap: built each time, never stored
    expect(c1).toEqual({ name: 'c', n: 3 });
    expect(cache.get('a')).toBe(a); // what was kept stays
    expect(built).toBe(4);
  });
});
