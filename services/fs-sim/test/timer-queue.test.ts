import { waitFor } from '@switchyard/core/testing';
import { describe, expect, it } from 'vitest';
import { TimerQueue } from '../src/core/timer-queue.ts';

describe('TimerQueue', () => {
  it('fires in due order, skips cancelled entries and compacts long cancelled waits', async () => {
    const q = new TimerQueue();
    const fired: number[] = [];
    // Gaps of 200 ms: the calls below are scheduled a few ms apart in wall time, even on a loaded machine.
    q.after(600, () => fired.push(3));
    q.after(200, () => fired.push(1));
    const c = q.after(400, () => fired.push(2));
    c.cancel();
    q.after(400, () => fired.push(22));
    const long = Array.from({ length: 3000 }, () => q.after(3_600_000, () => fired.push(-1)));
    for (const h of long) h.cancel();
    expect(q.size).toBeLessThan(2000); // cancelled hour-long waits do not pile up
    await waitFor(() => fired.length === 3, { timeoutMs: 5_000 });
    expect(fired).toEqual([1, 22, 3]);
    q.close();
  });
});
