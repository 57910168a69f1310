import { describe, expect, it } from 'vitest';
import { TimerQueue } from '../src/core/timer-queue.ts';

describe('TimerQueue', () => {
  it('fires in due order, skips cancelled entries and compacts long cancelled waits', async () => {
    const q = new TimerQueue();
    const fired: number[] = [];
    q.after(30, () => fired.push(3));
    q.after(10, () => fired.push(1));
    const c = q.after(20, () => fired.push(2));
    c.cancel();
    q.after(20, () => fired.push(22));
    const long = Array.from({ length: 3000 }, () => q.after(3_600_000, () => fired.push(-1)));
    for (const h of long) h.cancel();
    expect(q.size).toBeLessThan(2000); // cancelled hour-long waits do not pile up
    await new Promise((r) => setTimeout(r, 80));
    expect(fired).toEqual([1, 22, 3]);
    q.close();
  });
});
