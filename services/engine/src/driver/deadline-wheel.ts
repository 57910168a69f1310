/** What a {@link DeadlineWheel} holds: the wheel keeps the entry's place in these fields (nothing allocated per entry). */
export interface WheelEntry {
  /** When it is due (the wheel's clock, ms). */
  wheelAt: number;
  /** Its slot, or -1 when not in the wheel. */
  wheelSlot: number;
  /** Its index in that slot. */
  wheelIndex: number;
}

/** Options of {@link DeadlineWheel}. */
export interface DeadlineWheelOptions {
  /** Resolution: an entry fires at most this late. Default 100 ms. */
  tickMs?: number;
  /** Slots in one lap; a deadline further than a lap away is skipped until its lap comes round. Default 4096. */
  slots?: number;
  /** Monotonic clock in ms. Default `performance.now`. */
  now?: () => number;
  /** Runs the sweep on a timer (default true; tests sweep by hand). */
  timer?: boolean;
}

/**
 * Coarse deadlines under one timer: a hashed timing wheel. The stall watchdog covers every
 * app in flight (one per call, for as long as a prompt plays) and almost never fires; a Node
 * Timeout per app is ~150 bytes that live as long as the prompt, and every young-generation
 * collection copies them. Here an entry costs its own three fields. Add and remove are O(1)
 * (swap-remove within the slot); a tick visits one slot. Entries fire at most one tick late.
 */
export class DeadlineWheel<T extends WheelEntry> {
  private readonly slots: T[][];
  private readonly tickMs: number;
  private readonly now: () => number;
  private readonly timed: boolean;
  /** The next tick to sweep (absolute tick number). */
  private cursor: number;
  private count = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly fire: (e: T) => void,
    o: DeadlineWheelOptions = {},
  ) {
    this.tickMs = o.tickMs ?? 100;
    this.now = o.now ?? (() => performance.now());
    this.timed = o.timer ?? true;
    this.slots = Array.from({ length: o.slots ?? 4096 }, () => []);
    this.cursor = Math.floor(this.now() / this.tickMs);
  }

  /** Entries in the wheel. */
  get size(): number {
    return this.count;
  }

  /** Fires `e` once `ms` have passed, unless it is removed first. */
  add(e: T, ms: number): void {
    if (e.wheelSlot >= 0) this.remove(e);
    const at = this.now() + ms;
    // Never into a tick already swept (or being swept): it would wait a whole lap.
    const tick = Math.max(Math.ceil(at / this.tickMs), this.cursor);
    const slot = tick % this.slots.length;
    const list = this.slots[slot] as T[];
    e.wheelAt = at;
    e.wheelSlot = slot;
    e.wheelIndex = list.length;
    list.push(e);
    if (this.count++ === 0 && this.timed) this.startTimer();
  }

  /** Takes `e` out (a no-op if it is not in). */
  remove(e: T): void {
    const slot = e.wheelSlot;
    if (slot < 0) return;
    const list = this.slots[slot] as T[];
    const last = list.pop() as T;
    if (last !== e) {
      list[e.wheelIndex] = last;
      last.wheelIndex = e.wheelIndex;
    }
    e.wheelSlot = -1;
    if (--this.count === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Fires what is due: every slot from the cursor up to now. */
  sweep(): void {
    const now = this.now();
    const upTo = Math.floor(now / this.tickMs);
    // After a long stall, one lap covers every slot.
    if (upTo - this.cursor >= this.slots.length) this.cursor = upTo - this.slots.length + 1;
    while (this.cursor <= upTo) {
      const list = this.slots[this.cursor++ % this.slots.length] as T[];
      // Backwards: a fire() that removes or adds entries only moves ones already visited or not due.
      for (let i = list.length - 1; i >= 0; i--) {
        const e = list[i];
        if (e === undefined || e.wheelAt > now) continue;
        this.remove(e);
        this.fire(e);
      }
    }
  }

  private startTimer(): void {
    this.cursor = Math.max(this.cursor, Math.floor(this.now() / this.tickMs));
    this.timer = setInterval(() => this.sweep(), this.tickMs);
    // A watchdog never keeps the process up on its own.
    this.timer.unref();
  }
}
