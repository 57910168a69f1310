import { waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness } from './helpers/engine-harness.ts';
import { testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;
let sim: FsSim;

beforeAll(async () => {
  await h.start(['t-stall']);
  sim = await h.addSim(0, 'fs1');
  await h.route('5004', 't-stall');
  rt = await startEngineRuntime(await h.config({ ESL_APP_TIMEOUT_MS: '1000' }), { codeFlows: testFlows });
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'ESL up' });
});
afterAll(async () => {
  await rt?.close();
  await h.stop();
});

describe('watchdog', () => {
  it('ends a call whose media never completes (stalled node) and logs why', async () => {
    const uuid = sim.placeCall({ destination: '5004' }) as string;
    const startedAt = Date.now();
    const ev = await waitFor(
      async () => {
        await rt.producer.flush();
        const e = await h.events(uuid);
        return e.some((x) => x.type === 'leg.hungup') ? e : undefined;
      },
      { what: 'stalled call ended', timeoutMs: 8_000 },
    );
    expect(Date.now() - startedAt).toBeLessThan(5_000); // catalogued 100 ms + 1 s margin, not the file's minute
    expect(ev.find((e) => e.type === 'leg.hungup')?.hangupCause).toBe('NODE_STALLED');
    await waitFor(() => !sim.channels().includes(uuid), { what: 'channel hung up' });
  });
});
