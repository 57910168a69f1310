import { randomUUID } from 'node:crypto';
import { createLogger } from '@switchyard/core';
import { startTcpProxy, type TcpProxy, waitFor } from '@switchyard/core/testing';
import { EslSwitch, originateCommand } from '@switchyard/dialer';
import { type FsSim, startFsSim } from '@switchyard/fs-sim';
import type { CodeFlow } from '@switchyard/ivr';
import { campaignOutboundFlow, promptCatalogue } from '@switchyard/ivr-flows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness } from './helpers/engine-harness.ts';

const h = new EngineHarness();
let sim: FsSim;
let proxy: TcpProxy;
let rt: EngineRuntime;
let sw: EslSwitch;

beforeAll(async () => {
  await h.start(['campaign-outbound']);
  sim = await startFsSim({ sipPort: false, heartbeatMs: 500, hostname: 'fs1', files: Object.fromEntries(Object.values(promptCatalogue).map((p) => [p.file, 150])), strictFiles: true });
  h.sims.push(sim);
  proxy = await startTcpProxy(sim.eslPort);
  await h.registerNode('fs1', proxy.port);
  rt = await startEngineRuntime(await h.config({ ENGINE_ID: 'e-outage' }), { codeFlows: { 'campaign-outbound': campaignOutboundFlow as unknown as CodeFlow } });
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'engine ESL up' });
  // The dialer's own connection goes straight to the node: only the engine's is cut.
  sw = new EslSwitch({ password: 'ClueCon', logger: createLogger('outage-test', 'silent') });
  sw.sync([{ name: 'fs1', host: '127.0.0.1', port: sim.eslPort }]);
  await waitFor(() => sw.ready().length === 1, { what: 'dialer ESL up' });
}, 30_000);
afterAll(async () => {
  await sw?.close();
  await rt?.close();
  await proxy?.close();
  await h.stop();
});

describe('dialer hand-off across an engine ESL outage', { timeout: 30_000 }, () => {
  it('a campaign call parked while the engine was cut off is admitted after the reconnect with its campaign flow', async () => {
    await proxy.cut();
    await waitFor(() => !rt.nodes.isEslUp('fs1'), { what: 'engine link down', timeoutMs: 15_000 });
    const uuid = randomUUID();
    const startedAt = Date.now();
    const cmd = originateCommand({
      callUuid: uuid,
      callerId: '+442071234567',
      dialString: 'sim/answer/20',
      timeoutSec: 5,
      vars: { sy_campaign_id: '7', sy_contact_id: '70', sy_attempt_id: '700', sy_flow_id: 'campaign-outbound', sy_phone: '+447911000077', sy_leg_started_at: String(startedAt) },
    });
    await sw.bgapi('fs1', randomUUID(), cmd);
    await waitFor(() => sim.channels().includes(uuid), { what: 'channel parked' });
    await proxy.restore();
    // The PARK was lost with the connection: the reconcile finds the channel and dumps its variables.
    expect(await waitFor(() => h.redis.get(h.keys.callHandoff(uuid)), { what: 'hand-off marker', timeoutMs: 15_000 })).toBe('e-outage');
    const steps = await waitFor(async () => {
      const ev = (await h.events(uuid)).filter((e) => e.type === 'ivr.step' && e.kind === 'state');
      return ev.some((e) => e.state === 'offer') ? ev : null;
    }, { what: 'campaign flow in the offer menu' });
    expect(steps[0]).toMatchObject({ state: 'message', flowId: 'campaign-outbound', direction: 'outbound', startedAt: new Date(startedAt).toISOString() });
    expect(steps.every((e) => e.seq >= 3)).toBe(true);
    sim.hangupCall(uuid);
    await waitFor(() => rt.engine.activeCalls === 0, { what: 'session over' });
    // The leg's lifecycle stays the dialer's: the engine wrote no created/answered/hungup.
    const types = new Set((await h.events(uuid)).map((e) => e.type));
    expect([...types].filter((t) => t.startsWith('leg.') && t !== 'leg.transferred')).toEqual([]);
  });
});
