import { describe, expect, it } from 'vitest';
import type { CallSnapshot } from '../src/ownership/call-snapshot.ts';
import { SnapshotWriter } from '../src/ownership/snapshot-writer.ts';

const snap = (callId: string, state: string): CallSnapshot => ({
  callId,
  node: 'fs1',
  flavour: 'inbound',
  direction: 'inbound',
  from: '1',
  to: '2',
  flowId: 'f',
  flowVersion: 1,
  startedAt: 1,
  state,
  answered: true,
  seq: 0,
});
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('SnapshotWriter', () => {
  it("writes each call's latest snapshot of a turn in one batch, and nothing for a dropped call", async () => {
    const batches: string[][] = [];
    const w = new SnapshotWriter({ write: async (b) => batches.push(b.map((s) => `${s.callId}:${s.state}`)), maxBatch: 2 });
    w.save(snap('a', 'greet'));
    w.save(snap('b', 'greet'));
    w.save(snap('a', 'menu'));
    w.save(snap('c', 'greet'));
    w.drop('b');
    expect(batches).toEqual([]); // nothing inside the turn
    await turn();
    expect(batches).toEqual([['a:menu', 'c:greet']]);
    expect(w.size).toBe(0);
    w.save(snap('a', 'bye'));
    w.save(snap('d', 'greet'));
    w.save(snap('e', 'greet'));
    await turn();
    expect(batches.slice(1)).toEqual([['a:bye', 'd:greet'], ['e:greet']]); // split at maxBatch
  });
});
