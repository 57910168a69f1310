import { waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness } from './helpers/engine-harness.ts';
import { testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;

beforeAll(async () => {
  await h.start(['t-long']);
  await h.route('5003', 't-long');
  // A long poll: the pub/sub notice, not the timer, must bring changes in.
  rt = await startEngineRuntime(await h.config({ NODE_POLL_MS: '600000' }), { codeFlows: testFlows });
});
afterAll(async () => {
  await rt?.close();
  await h.stop();
});

describe('node manager follows the fleet table at runtime', () => {
  it('connects a node added to the fleet without a restart, and lets a removed one go after its calls end', async () => {
    expect(rt.nodes.names()).toEqual([]);
    const sim = await h.addSim(0, 'fs-new');
    await h.redis.publish(h.keys.fleetChanged(), 'fs-new');
    await waitFor(() => rt.nodes.isEslUp('fs-new'), { what: 'new node connected' });
    const health = rt.nodes.health()[0];
    expect(health).toMatchObject({ node: 'fs-new', eslConnected: true, ready: true, leaving: false });
    await waitFor(() => rt.nodes.health()[0]?.sessionCount !== null, { what: 'HEARTBEAT figures' });
    expect(rt.nodes.health()[0]?.idleCpu).toBeTypeOf('number');

    const uuid = sim.placeCall({ destination: '5003' }) as string;
    await waitFor(() => rt.engine.registry.has(uuid), { what: 'call driven' });
    await h.db.updateTable('nodes').set({ state: 'removed' }).where('name', '=', 'fs-new').execute();
    await h.redis.publish(h.keys.fleetChanged(), 'fs-new');
    await waitFor(() => rt.nodes.health()[0]?.leaving, { what: 'node leaving' });
    expect(rt.nodes.isEslUp('fs-new')).toBe(true); // still serving its call
    expect(rt.nodes.inFlightCalls('fs-new')).toBe(1);

    sim.hangupCall(uuid);
    await waitFor(() => rt.nodes.names().length === 0, { what: 'node let go' });
    expect(rt.engine.activeCalls).toBe(0);
  });
});
