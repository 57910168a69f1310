import type { OpsServer } from '@switchyard/core/http';
import { waitFor } from '@switchyard/core/testing';
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
  // A one-second stuck threshold, so a call held through a long prompt shows as stuck.
  rt = await startEngineRuntime(await h.config({ STUCK_CALL_SECS: '1' }), { codeFlows: testFlows });
  ops = await startEngineOps(rt);
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'ESL up' });
});
afterAll(async () => {
  await ops?.close();
  await rt?.close();
  await h.stop();
});

/** One Prometheus text exposition, scraped over HTTP from the engine's ops port. */
async function scrape(): Promise<(name: string, labels?: Record<string, string>) => number> {
  const text = await (await fetch(`http://127.0.0.1:${ops.port}/metrics`)).text();
  return (name, labels = {}) => {
    let sum = 0;
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
    }
    return sum;
  };
}

describe('/metrics during a simulated call', () => {
  it('moves the call, channel, quality and IVR step metrics', async () => {
    const before = await scrape();
    const answered = { direction: 'inbound', disposition: 'answered' };
    const uuid = sim.placeCall({ destination: '5003', quality: { mos: 3.7, packetLossPercent: 2, jitterMaxVariance: 12 } }) as string;
    await waitFor(() => rt.engine.registry.has(uuid), { what: 'call driven' });

    // During the call (held on a 30 s prompt): one channel on fs1, then stuck past 1 s.
    const during = await waitFor(
      async () => {
        const m = await scrape();
        return m('switchyard_channels', { node: 'fs1' }) === 1 && m('switchyard_calls_stuck') === 1 ? m : undefined;
      },
      { what: 'channel and stuck gauges during the call', timeoutMs: 10_000 },
    );
    expect(during('switchyard_calls_total', answered)).toBe(before('switchyard_calls_total', answered));
    expect(during('switchyard_ivr_step_seconds_count', { kind: 'answer' })).toBe(before('switchyard_ivr_step_seconds_count', { kind: 'answer' }) + 1);

    // Barge in with 2 (menu → bye → hang up).
    expect(sim.pressDigits(uuid, '2')).toBe(true);
    const after = await waitFor(
      async () => {
        const m = await scrape();
        return m('switchyard_calls_total', answered) === before('switchyard_calls_total', answered) + 1 ? m : undefined;
      },
      { what: 'the call counted as answered', timeoutMs: 15_000 },
    );
    expect(after('switchyard_call_talk_seconds_count', { direction: 'inbound' })).toBe(before('switchyard_call_talk_seconds_count', { direction: 'inbound' }) + 1);
    expect(after('switchyard_call_talk_seconds_sum', { direction: 'inbound' })).toBeGreaterThan(before('switchyard_call_talk_seconds_sum', { direction: 'inbound' }));
    // Prompts: the held one (barged into), the menu's and the goodbye.
    expect(after('switchyard_ivr_step_seconds_count', { kind: 'playback' })).toBeGreaterThanOrEqual(before('switchyard_ivr_step_seconds_count', { kind: 'playback' }) + 2);
    expect(after('switchyard_call_mos_count', { node: 'fs1' })).toBe(before('switchyard_call_mos_count', { node: 'fs1' }) + 1);
    expect(after('switchyard_call_mos_sum', { node: 'fs1' }) - before('switchyard_call_mos_sum', { node: 'fs1' })).toBeCloseTo(3.7, 5);
    expect(after('switchyard_call_jitter_ms_sum', { node: 'fs1' }) - before('switchyard_call_jitter_ms_sum', { node: 'fs1' })).toBeCloseTo(12, 5);
    expect(after('switchyard_call_packet_loss_pct_count', { node: 'fs1' })).toBe(before('switchyard_call_packet_loss_pct_count', { node: 'fs1' }) + 1);
    await waitFor(
      async () => {
        const m = await scrape();
        return m('switchyard_channels', { node: 'fs1' }) === 0 && m('switchyard_calls_stuck') === 0;
      },
      { what: 'channel and stuck gauges back to zero' },
    );
  });

  it('counts a refused call as failed', async () => {
    const failed = { direction: 'inbound', disposition: 'failed' };
    const before = (await scrape())('switchyard_calls_total', failed);
    sim.placeCall({ destination: '5999' });
    await waitFor(async () => (await scrape())('switchyard_calls_total', failed) === before + 1, { what: 'the refused call counted as failed' });
  });
});
