import type { OpsServer } from '@switchyard/core/http';
import { sleep, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineOps } from '../src/app/engine-ops.ts';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness } from './helpers/engine-harness.ts';
import { testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;
let ops: OpsServer;
let sim: FsSim;

beforeAll(async () => {
  await h.start(['t-long']);
  sim = await h.addSim(0, 'fs1');
  await h.route('5003', 't-long');
  rt = await startEngineRuntime(await h.config({ DRAIN_SECS: '1' }), { codeFlows: testFlows });
  ops = await startEngineOps(rt);
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'ESL up' });
});
afterAll(async () => {
  await ops?.close();
  await rt?.close();
  await h.stop();
});

const status = async (p: string) => (await fetch(`http://127.0.0.1:${ops.port}${p}`)).status;

describe('drain on SIGTERM', () => {
  it('stops taking calls, keeps liveness, fails readiness, then ends the rest with a logged cause', async () => {
    expect(await status('/ready')).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${ops.port}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_esl_connected\{[^}]*node="fs1"[^}]*\} 1/);
    expect(metrics).toContain('switchyard_engine_calls_active');
    const uuid = sim.placeCall({ destination: '5003' }) as string;
    await waitFor(() => rt.engine.registry.has(uuid), { what: 'call driven' });

    const drained = rt.drainAndClose();
    expect(await status('/health')).toBe(200);
    expect(await status('/ready')).toBe(503);
    const late = sim.placeCall({ destination: '5003' }) as string;
    await sleep(300);
    expect(rt.engine.registry.has(late)).toBe(false); // no new calls while draining
    expect(sim.channels()).toContain(uuid); // in-flight call still up within drain_secs

    expect(await drained).toBe(false); // the deadline cut the call short
    expect(sim.channels()).not.toContain(uuid);
    const ev = await h.events(uuid);
    expect(ev.find((e) => e.type === 'leg.hungup')?.hangupCause).toBe('SYSTEM_SHUTDOWN');
  });
});
