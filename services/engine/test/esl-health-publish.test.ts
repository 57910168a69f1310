import { waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness } from './helpers/engine-harness.ts';
import { testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;

beforeAll(async () => {
  await h.start([]);
  rt = await startEngineRuntime(await h.config({ ESL_HEALTH_PUBLISH_MS: '200' }), { codeFlows: testFlows });
});
afterAll(async () => {
  await rt?.close();
  await h.stop();
});

describe('ESL health for the fleet', () => {
  it('publishes a node as ESL-up while its control connection is up, and lets it expire when the node dies', async () => {
    const sim = await h.addSim(0, 'fs-health');
    await h.redis.publish(h.keys.fleetChanged(), 'fs-health');
    const key = h.keys.nodeEslUp('fs-health');
    await waitFor(async () => (await h.redis.get(key)) === '1', { what: 'ESL-up key' });
    expect(await h.redis.pttl(key)).toBeGreaterThan(0);

    await sim.close();
    await waitFor(() => !rt.nodes.isEslUp('fs-health'), { what: 'link down' });
    // No more refreshes: the key runs out within its TTL (3 intervals, at least 3 s).
    await waitFor(async () => (await h.redis.get(key)) === null, { what: 'ESL-up key expired', timeoutMs: 8_000 });
  });
});
