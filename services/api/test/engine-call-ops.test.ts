import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ManagedProcess, startProcess, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The engine's own test harness: a migrated database, a Redis prefix, fs-sim nodes, code flows.
import { EngineHarness } from '../../engine/test/helpers/engine-harness.ts';

// The ops contract (services/core/src/http) on a service that carries calls: the engine as a
// child process, calls from a simulated FreeSWITCH node, /metrics scraped mid-call, SIGTERM mid-call.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const flows = path.join(repo, 'services/engine/test/helpers/test-flows.ts');
const h = new EngineHarness();
let sim: FsSim;
let engine: ManagedProcess;
let base: string;

const scrape = async () => (await fetch(`${base}/metrics`)).text();
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').pop());
  }
  return total;
}
const hungup = async (uuid: string) => (await h.events(uuid)).find((e) => e.type === 'leg.hungup');

beforeAll(async () => {
  await h.start(['t-menu']);
  sim = await h.addSim(0, 'fs1');
  await h.route('5001', 't-menu');
  const env = await h.env();
  base = `http://127.0.0.1:${env.ENGINE_HTTP_PORT}`;
  engine = startProcess(process.execPath, ['--import', 'tsx', 'services/engine/src/main.ts'], {
    cwd: repo,
    env: { ...process.env, ...env, ENGINE_ID: 'ops-engine', ENGINE_CODE_FLOWS: flows, DRAIN_SECS: '20' },
  });
  await waitFor(async () => (await fetch(`${base}/ready`).catch(() => null))?.status === 200, { timeoutMs: 30_000, what: 'engine ready' }).catch(
    (err) => {
      throw new Error(`${err}\n${engine.output()}`);
    },
  );
}, 60_000);
afterAll(async () => {
  await engine?.stop();
  await h.stop();
});

describe('ops paths on the engine during calls', () => {
  it('/metrics shows the call while it is up and drops it after', async () => {
    await waitFor(async () => value(await scrape(), 'switchyard_esl_connected', { node: 'fs1' }) === 1, { what: 'ESL to fs1 up' });
    const uuid = sim.placeCall({ destination: '5001', script: 'wait 2s; press 2' }) as string;
    await waitFor(() => h.redis.get(h.keys.callOwner(uuid)), { what: 'call claimed' });
    // Scraped while the caller is still in the menu (the script presses 2 after 2 s).
    const during = await waitFor(async () => {
      const m = await scrape();
      return value(m, 'switchyard_channels', { node: 'fs1' }) === 1 ? m : null;
    }, { timeoutMs: 1_500, what: 'channel counted' });
    expect(value(during, 'switchyard_engine_calls_active')).toBe(1);
    expect(await hungup(uuid)).toBeUndefined();
    await waitFor(() => hungup(uuid), { timeoutMs: 15_000, what: 'call ended' });
    await waitFor(async () => value(await scrape(), 'switchyard_engine_calls_active') === 0, { what: 'gauge back to 0' });
    expect(value(await scrape(), 'switchyard_channels', { node: 'fs1' })).toBe(0);
  });

  it('SIGTERM mid-call: readiness 503 at once, liveness 200, the call completes, then the process exits 0', async () => {
    const uuid = sim.placeCall({ destination: '5001', script: 'wait 3s; press 2' }) as string;
    await waitFor(() => h.redis.get(h.keys.callOwner(uuid)), { what: 'call claimed' });
    engine.child.kill('SIGTERM');
    await waitFor(async () => (await fetch(`${base}/ready`)).status === 503, { timeoutMs: 1_000, what: 'ready 503' });
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(engine.child.exitCode).toBeNull();
    const end = await waitFor(() => hungup(uuid), { timeoutMs: 15_000, what: 'call ended' });
    expect(end.hangupCause).not.toBe('SYSTEM_SHUTDOWN'); // it ended on its own, within the drain
    expect(await engine.exited).toBe(0);
  });
});
