/**
 * Values built once per header name (pre-encoded names, search needles). Bounded: names are a
 * small, fixed vocabulary, and made-up names from a caller must not grow it without end — past
 * the cap a value is built for each call and not kept.
 */
export class NameCache<V> {
  private readonly map = new Map<string, V>();

  constructor(
    private readonly make: (name: string) => V,
    private readonly max = 1024,
  ) {}

  get(name: string): V {
    let v = this.map.get(name);
    if (v === undefined) {
      v = this.make(name);
      if (this.map.size < this.max) this.map.set(name, v);
    }
    return v;
  }
}
