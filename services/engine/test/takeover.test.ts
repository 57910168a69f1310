import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ManagedProcess, startProcess, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHarness, type LoggedEvent } from './helpers/engine-harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const h = new EngineHarness();
let sim: FsSim;
const engines: { id: string; proc: ManagedProcess; port: number }[] = [];

async function startEngine(id: string): Promise<void> {
  const env = await h.env();
  const proc = startProcess(process.execPath, ['--import', 'tsx', 'services/engine/src/main.ts'], {
    cwd: repo,
    env: { ...process.env, ...env, ENGINE_ID: id, ENGINE_CODE_FLOWS: path.join(here, 'helpers/test-flows.ts') },
  });
  engines.push({ id, proc, port: Number(env.ENGINE_HTTP_PORT) });
}

async function ready(port: number): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => null);
  return r?.status === 200;
}

beforeAll(async () => {
  await h.start(['t-long']);
  sim = await h.addSim(0, 'fs1');
  await h.route('5003', 't-long');
  await startEngine('engine-a');
  await startEngine('engine-b');
  for (const e of engines) await waitFor(() => ready(e.port), { what: `${e.id} ready`, timeoutMs: 30_000 }).catch((err) => {
    throw new Error(`${err}\n${e.proc.output()}`);
  });
}, 60_000);
afterAll(async () => {
  await Promise.all(engines.map((e) => e.proc.stop()));
  await h.stop();
});

const states = (ev: LoggedEvent[]) => ev.filter((e) => e.type === 'ivr.step' && e.kind === 'state').map((e) => e.state);

describe('two engines share Redis', () => {
  it('exactly one drives a call; kill -9 it mid-call and the other takes the call over within 5 s', async () => {
    const uuid = sim.placeCall({ destination: '5003' }) as string;
    const owner = await waitFor(() => h.redis.get(h.keys.callOwner(uuid)), { what: 'call claimed' });
    await waitFor(async () => states(await h.events(uuid)).includes('hold'), { what: 'call in the long prompt' });
    const victim = engines.find((e) => e.id === owner) as (typeof engines)[number];
    const survivor = engines.find((e) => e.id !== owner) as (typeof engines)[number];
    const killedAt = Date.now();
    await victim.proc.kill9();
    await waitFor(async () => (await h.redis.get(h.keys.callOwner(uuid))) === survivor.id, { what: 'takeover', timeoutMs: 5_000 });
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeLessThan(5_000);
    expect(sim.channels()).toContain(uuid); // the caller never left

    // The survivor drives it: the flow resumes in the snapshot's state, a key reaches the menu, the call ends.
    await waitFor(async () => states(await h.events(uuid)).filter((s) => s === 'hold').length >= 2, { what: 'flow re-attached' });
    sim.pressDigits(uuid, '2');
    const ev = await waitFor(
      async () => {
        const e = await h.events(uuid);
        return e.some((x) => x.type === 'leg.hungup') ? e : undefined;
      },
      { what: 'call ended by the survivor', timeoutMs: 10_000 },
    );
    expect(states(ev).slice(-2)).toEqual(['bye', 'end']);
    // Resumed in the snapshot's state, not restarted: the greeting ran once.
    expect(states(ev).filter((s) => s === 'greet')).toHaveLength(1);
    expect(ev.find((e) => e.type === 'leg.hungup')?.hangupCause).toBe('NORMAL_CLEARING');
    expect(new Set(ev.map((e) => e.seq)).size).toBe(ev.length); // numbering continued from the snapshot
  }, 30_000);
});
