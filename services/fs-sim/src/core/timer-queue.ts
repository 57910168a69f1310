/** A cancellable scheduled callback. */
export interface TimerHandle {
  cancel(): void;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * All simulated media timers share one Node timer: a binary min-heap keyed by due time.
 * Tens of thousands of channels each playing a prompt then cost O(log n) per timer, not a
 * libuv timer each. Cancelled entries are dropped lazily when they reach the top.
 */
export class TimerQueue {
  private heap: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private closed = false;
  private cancelled = 0;

  /** Run `fn` after `ms` milliseconds. */
  after(ms: number, fn: () => void): TimerHandle {
    const e: Entry = { at: Date.now() + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(e);
    if (e.at < this.armedAt) this.arm();
    return {
      cancel: () => {
        if (e.cancelled) return;
        e.cancelled = true;
        // long waits cancelled by hangups would otherwise sit in the heap until due
        if (++this.cancelled > 1024 && this.cancelled * 2 > this.heap.length) this.compact();
      },
    };
  }

  /** Number of pending entries (including cancelled ones not yet dropped). */
  get size(): number {
    return this.heap.length;
  }

  /** Stop the timer; pending callbacks never run. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.heap = [];
  }

  /** Drop cancelled entries and rebuild the heap (O(n), amortised over the cancels). */
  private compact(): void {
    const live = this.heap.filter((e) => !e.cancelled);
    this.heap = [];
    this.cancelled = 0;
    for (const e of live) this.push(e);
  }

  private arm(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const top = this.heap[0];
    if (!top) {
      this.timer = undefined;
      this.armedAt = Number.POSITIVE_INFINITY;
      return;
    }
    this.armedAt = top.at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.at - Date.now()));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let ran = 0;
    while (this.heap.length > 0 && (this.heap[0] as Entry).at <= now && ran < 5000) {
      const e = this.pop() as Entry;
      if (e.cancelled) {
        if (this.cancelled > 0) this.cancelled--;
        continue;
      }
      ran++;
      try {
        e.fn();
      } catch {
        // a failing callback must not stop the other channels' timers
      }
    }
    this.arm();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i] as Entry, h[p] as Entry)) break;
      [h[i], h[p]] = [h[p] as Entry, h[i] as Entry];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l] as Entry, h[m] as Entry)) m = l;
        if (r < h.length && this.less(h[r] as Entry, h[m] as Entry)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
        i = m;
      }
    }
    return top;
  }
}
