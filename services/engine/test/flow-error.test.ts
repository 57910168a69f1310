import { waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness } from './helpers/engine-harness.ts';
import { nodeFiles, testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;
let sim: FsSim;
const played: string[] = [];

beforeAll(async () => {
  nodeFiles['ivr/sorry.wav'] = 100;
  await h.start(['t-menu']);
  sim = await h.addSim(0, 'fs1');
  await h.route('5001', 't-menu');
  rt = await startEngineRuntime(await h.config({ APOLOGY_FILE: 'ivr/sorry.wav' }), {
    codeFlows: testFlows,
    run: async (flow, opts) => {
      await opts.driver.answer();
      played.push(flow.id);
      throw new Error('flow bug');
    },
  });
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'ESL up' });
});
afterAll(async () => {
  await rt?.close();
  await h.stop();
});

describe('a flow that throws', () => {
  it('ends that call gracefully (apology, then hangup) with a log row, and the engine keeps going', async () => {
    for (let i = 0; i < 2; i++) {
      const uuid = sim.placeCall({ destination: '5001' }) as string;
      const ev = await waitFor(
        async () => {
          await rt.producer.flush();
          const e = await h.events(uuid);
          return e.some((x) => x.type === 'leg.hungup') ? e : undefined;
        },
        { what: 'hangup logged' },
      );
      expect(ev.find((e) => e.type === 'leg.hungup')?.hangupCause).toBe('NORMAL_TEMPORARY_FAILURE');
      expect(ev.some((e) => e.type === 'leg.answered')).toBe(true);
    }
    expect(played).toEqual(['t-menu', 't-menu']);
    expect(rt.engine.stats.flowErrors).toBe(2);
  });
});
