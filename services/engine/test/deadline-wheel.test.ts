import { seededRandom } from '@switchyard/core/testing';
import { describe, expect, it } from 'vitest';
import { DeadlineWheel, type WheelEntry } from '../src/driver/deadline-wheel.ts';

class Entry implements WheelEntry {
  wheelAt = 0;
  wheelSlot = -1;
  wheelIndex = 0;
  due = 0;
  firedAt: number[] = [];
  removed = false;
  constructor(readonly id: number) {}
}

describe('DeadlineWheel', () => {
  it('fires every entry once, never early and at most a tick (plus one sweep step) late, across laps, with removals and re-entrant fires', () => {
    const TICK = 10;
    const MAX_STEP = 25;
    for (let seed = 1; seed <= 20; seed++) {
      const rand = seededRandom(seed);
      let now = 1000 + rand() * 1000;
      const all: Entry[] = [];
      const live = new Set<Entry>();
      let wheel!: DeadlineWheel<Entry>;
      const add = (ms: number) => {
        const e = new Entry(all.length);
        e.due = now + ms;
        all.push(e);
        live.add(e);
        wheel.add(e, ms);
      };
      const removeOne = () => {
        const pick = [...live][Math.floor(rand() * live.size)];
        if (!pick) return;
        wheel.remove(pick);
        pick.removed = true;
        live.delete(pick);
      };
      // 16 slots of 10 ms: deadlines up to 1 s go round the wheel several times.
      wheel = new DeadlineWheel<Entry>(
        (e) => {
          e.firedAt.push(now);
          live.delete(e);
          // What a fire may do: fail another app of the call, or open a new one.
          const r = rand();
          if (r < 0.2) removeOne();
          else if (r < 0.4) add(rand() * 200);
        },
        { tickMs: TICK, slots: 16, now: () => now, timer: false },
      );
      for (let i = 0; i < 300; i++) add(rand() < 0.1 ? 0 : rand() * 1000);
      for (let step = 0; step < 400; step++) {
        if (rand() < 0.3) add(rand() * 1000);
        if (rand() < 0.2) removeOne();
        now += 1 + rand() * (MAX_STEP - 1);
        wheel.sweep();
      }
      // Then let everything run out (fires keep adding a few).
      for (let i = 0; i < 1000 && wheel.size > 0; i++) {
        now += 1 + rand() * (MAX_STEP - 1);
        wheel.sweep();
      }
      for (const e of all) {
        if (e.removed) {
          expect(e.firedAt).toEqual([]);
          continue;
        }
        expect(e.firedAt, `entry ${e.id} seed ${seed}`).toHaveLength(1);
        const late = (e.firedAt[0] as number) - e.due;
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThan(TICK + MAX_STEP);
      }
      expect(wheel.size).toBe(0);
    }
  });

  it('fires everything due after a stall longer than a lap, and nothing that was removed or is not due', () => {
    let now = 0;
    const fired: number[] = [];
    const wheel = new DeadlineWheel<Entry>((e) => fired.push(e.id), { tickMs: 10, slots: 8, now: () => now, timer: false });
    const es = [new Entry(0), new Entry(1), new Entry(2), new Entry(3)];
    wheel.add(es[0] as Entry, 30);
    wheel.add(es[1] as Entry, 75);
    wheel.add(es[2] as Entry, 500);
    wheel.add(es[3] as Entry, 40);
    wheel.remove(es[3] as Entry);
    wheel.remove(es[3] as Entry); // twice: a no-op
    now = 300; // more than a lap (80 ms) in one go
    wheel.sweep();
    expect(fired.sort()).toEqual([0, 1]);
    expect(wheel.size).toBe(1);
    // Re-adding an entry moves it.
    wheel.add(es[2] as Entry, 5);
    expect(wheel.size).toBe(1);
    now = 320;
    wheel.sweep();
    expect(fired.sort()).toEqual([0, 1, 2]);
    // Due now, at a tick already swept: it goes to the next tick, not a lap later.
    now = 400;
    wheel.sweep();
    const nowEntry = new Entry(4);
    wheel.add(nowEntry, 0);
    now = 411;
    wheel.sweep();
    expect(nowEntry.wheelSlot).toBe(-1);
    expect(fired).toContain(4);
    expect(fired).toHaveLength(4);
    expect(wheel.size).toBe(0);
  });

  it('runs its own timer while it holds entries', async () => {
    const fired: number[] = [];
    const wheel = new DeadlineWheel<Entry>((e) => fired.push(e.id), { tickMs: 5 });
    wheel.add(new Entry(7), 20);
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toEqual([7]);
    expect(wheel.size).toBe(0);
  });
});
