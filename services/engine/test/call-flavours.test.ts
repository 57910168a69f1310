import { freeTcpPort, waitFor } from '@switchyard/core/testing';
import type { FsSim } from '@switchyard/fs-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness, type LoggedEvent } from './helpers/engine-harness.ts';
import { testFlows } from './helpers/test-flows.ts';

const h = new EngineHarness();
let rt: EngineRuntime;
let sim: FsSim;

beforeAll(async () => {
  await h.start(['t-menu', 't-long']);
  const outboundPort = await freeTcpPort();
  sim = await h.addSim(outboundPort);
  await h.route('5001', 't-menu', 'inbound');
  await h.route('6001', 't-menu', 'outbound');
  await h.route('5002', 't-menu', 'outbound');
  rt = await startEngineRuntime(await h.config({ ENGINE_OUTBOUND_PORT: String(outboundPort) }), { codeFlows: testFlows });
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'ESL up' });
});
afterAll(async () => {
  await rt?.close();
  await h.stop();
});

const types = (ev: LoggedEvent[]) => ev.map((e) => e.type);
const states = (ev: LoggedEvent[]) => ev.filter((e) => e.type === 'ivr.step' && e.kind === 'state').map((e) => e.state);

async function endedEvents(uuid: string): Promise<LoggedEvent[]> {
  await rt.producer.flush();
  return waitFor(
    async () => {
      await rt.producer.flush();
      const ev = await h.events(uuid);
      return ev.some((e) => e.type === 'leg.hungup') ? ev : undefined;
    },
    { what: `leg.hungup of ${uuid}`, timeoutMs: 10_000 },
  );
}

describe.each([
  ['inbound (park + sendmsg <uuid>)', '5001'],
  ['outbound (socket per channel)', '6001'],
  ['inbound DID routed to the outbound flavour', '5002'],
])('%s', (_name, did) => {
  it('answers, plays, collects a digit, follows the menu and transfers; events are logged', async () => {
    const uuid = sim.placeCall({ destination: did, callerIdNumber: '4471000', script: 'wait 400ms; press 1' });
    expect(uuid).toBeDefined();
    const ev = await endedEvents(uuid as string);
    expect(types(ev)).toContain('leg.created');
    expect(types(ev)).toContain('leg.answered');
    expect(states(ev)).toEqual(['greet', 'welcome', 'main', 'sales']);
    const digits = ev.find((e) => e.type === 'ivr.step' && e.kind === 'digits');
    expect((digits?.detail as { digits?: string } | undefined)?.digits).toBe('1');
    expect(ev.find((e) => e.type === 'leg.transferred')?.transferredTo).toContain('sales');
    // Sequence numbers are unique per leg (idempotency keys).
    expect(new Set(ev.map((e) => e.seq)).size).toBe(ev.length);
    await waitFor(() => rt.engine.activeCalls === 0, { what: 'session released' });
    expect(await rt.ownership.owner(uuid as string)).toBeNull();
  });

  it('hangs up when the caller chooses 2', async () => {
    const uuid = sim.placeCall({ destination: did, script: 'wait 300ms; press 2' }) as string;
    const ev = await endedEvents(uuid);
    expect(states(ev)).toEqual(['greet', 'welcome', 'main', 'bye', 'end']);
    const hung = ev.find((e) => e.type === 'leg.hungup');
    expect(hung?.hangupCause).toBe('NORMAL_CLEARING');
    expect(sim.channels()).not.toContain(uuid);
  });
});

describe('bad input', () => {
  it('rejects an unknown DID politely, with a log row, and keeps going', async () => {
    const uuid = sim.placeCall({ destination: '5999' }) as string;
    const ev = await endedEvents(uuid);
    expect(ev.find((e) => e.type === 'leg.hungup')?.hangupCause).toBe('UNALLOCATED_NUMBER');
    await waitFor(() => !sim.channels().includes(uuid), { what: 'channel gone' });
    expect(rt.engine.stats.rejected).toBeGreaterThan(0);
  });

  it('counts and drops events for channels it does not drive', async () => {
    const before = rt.engine.stats.unknownEvents;
    rt.engine.onNodeEvent('fs1', { name: 'DTMF', uniqueId: 'not-a-call', get: () => undefined });
    expect(rt.engine.stats.unknownEvents).toBe(before + 1);
  });
});
