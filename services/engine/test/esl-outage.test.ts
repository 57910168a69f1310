import { startTcpProxy, type TcpProxy, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness, type LoggedEvent } from './helpers/engine-harness.ts';
import { testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;
let sim: FsSim;
let proxy: TcpProxy;

beforeAll(async () => {
  await h.start(['t-long']);
  sim = await h.addSim(0, 'fs1', false);
  proxy = await startTcpProxy(sim.eslPort);
  await h.registerNode('fs1', proxy.port);
  await h.route('5003', 't-long');
  rt = await startEngineRuntime(await h.config(), { codeFlows: testFlows });
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'ESL up' });
});
afterAll(async () => {
  await rt?.close();
  await proxy?.close();
  await h.stop();
});

const states = (ev: LoggedEvent[]) => ev.filter((e) => e.type === 'ivr.step' && e.kind === 'state').map((e) => e.state);
async function eventsUntil(uuid: string, pred: (ev: LoggedEvent[]) => boolean, what: string): Promise<LoggedEvent[]> {
  return waitFor(
    async () => {
      await rt.producer.flush();
      const ev = await h.events(uuid);
      return pred(ev) ? ev : undefined;
    },
    { what, timeoutMs: 20_000 },
  );
}

describe('ESL connection cut mid-call', { timeout: 60_000 }, () => {
  it('reconnects, re-subscribes and the call carries on', async () => {
    const uuid = sim.placeCall({ destination: '5003' }) as string;
    await eventsUntil(uuid, (ev) => states(ev).includes('hold'), 'call in the long prompt');
    const reconnectsBefore = rt.nodes.health()[0]?.reconnects ?? 0;
    proxy.dropConnections();
    // The reconnect may be quicker than a poll: watch the counter, not the gap.
    await waitFor(() => (rt.nodes.health()[0]?.reconnects ?? 0) > reconnectsBefore && rt.nodes.isEslUp('fs1'), { what: 'reconnected', timeoutMs: 20_000 });
    // Reconciled: the call is still driven; the prompt whose completion was lost counts as played.
    const ev = await eventsUntil(uuid, (e) => states(e).includes('main'), 'flow moved on after resync');
    expect(ev.some((e) => e.type === 'leg.hungup')).toBe(false);
    sim.pressDigits(uuid, '2'); // events flow again on the new connection
    const done = await eventsUntil(uuid, (e) => e.some((x) => x.type === 'leg.hungup'), 'hangup');
    expect(states(done).slice(-2)).toEqual(['bye', 'end']);
    expect(done.find((e) => e.type === 'leg.hungup')?.hangupCause).toBe('NORMAL_CLEARING');
  });

  it('a call that ended during the outage is logged with the reason', async () => {
    const uuid = sim.placeCall({ destination: '5003' }) as string;
    await eventsUntil(uuid, (ev) => states(ev).includes('hold'), 'call in the long prompt');
    await proxy.cut();
    await waitFor(() => !rt.nodes.isEslUp('fs1'), { what: 'link down', timeoutMs: 20_000 });
    sim.hangupCall(uuid); // the HANGUP events are lost with the connection
    await proxy.restore();
    await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'link up again', timeoutMs: 15_000 });
    const ev = await eventsUntil(uuid, (e) => e.some((x) => x.type === 'leg.hungup'), 'lost call logged');
    expect(ev.find((e) => e.type === 'leg.hungup')?.hangupCause).toBe('ESL_OUTAGE_CHANNEL_GONE');
    await waitFor(() => rt.engine.activeCalls === 0, { what: 'session released' });
    expect(rt.engine.stats.lostInOutage).toBe(1);
  });

  it('after its own lease lapsed, lets go of calls a peer took over (no double driving)', async () => {
    const uuid = sim.placeCall({ destination: '5003' }) as string;
    await eventsUntil(uuid, (ev) => states(ev).includes('hold'), 'call in the long prompt');
    await h.redis.set(h.keys.callOwner(uuid), 'peer-engine'); // what a peer's takeover leaves behind
    expect(await rt.engine.dropLostCalls()).toBe(1);
    await waitFor(() => !rt.engine.registry.has(uuid), { what: 'session let go' });
    expect(sim.channels()).toContain(uuid); // the caller is untouched: the peer drives it now
    const ev = await h.events(uuid);
    expect(ev.some((e) => e.type === 'leg.hungup')).toBe(false);
    sim.hangupCall(uuid);
  });
});
