import { rmSync } from 'node:fs';
import { createLogger } from '@switchyard/core';
import { waitFor } from '@switchyard/core/testing';
import { CallLogProducer, type CallLogEvent, foldEvents, parseCallLogEvent } from '@switchyard/calllog';
import {
  asDialerDb,
  CampaignService,
  callLogAttemptLog,
  type DialerDb,
  DialerRunner,
  DncService,
  EngineHandoffWatcher,
  EslSwitch,
  pgNodeSource,
} from '@switchyard/dialer';
import { type FsSim, startFsSim } from '@switchyard/fs-sim';
import type { CodeFlow } from '@switchyard/ivr';
import { campaignOutboundFlow, promptCatalogue } from '@switchyard/ivr-flows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineRuntime, startEngineRuntime } from '../src/app/engine-runtime.ts';
import { EngineHarness, type LoggedEvent } from './helpers/engine-harness.ts';
import { nodeFiles, optoutFlow } from './helpers/test-flows.ts';

const logger = createLogger('handoff-test', 'silent');
const h = new EngineHarness();
const spoolDir = `/tmp/sy-handoff-test-${process.pid}`;
let sim: FsSim;
let rt: EngineRuntime;
let db: DialerDb;
let sw: EslSwitch;
let producer: CallLogProducer;

// The sample prompts, short on the simulated node so the test is quick.
const files = { ...nodeFiles, ...Object.fromEntries(Object.values(promptCatalogue).map((p) => [p.file, 150])) };

beforeAll(async () => {
  await h.start(['campaign-outbound', 't-optout']);
  sim = await startFsSim({
    sipPort: false,
    heartbeatMs: 500,
    hostname: 'fs1',
    files,
    strictFiles: true,
    dialplan: [
      { pattern: '^5\\d+$', actions: [{ app: 'park', arg: '' }] },
      { pattern: '^queue-', actions: [{ app: 'answer', arg: '' }, { app: 'playback', arg: 'ivr/bye.wav' }, { app: 'hangup', arg: '' }] },
    ],
  });
  h.sims.push(sim);
  await h.registerNode('fs1', sim.eslPort);
  const codeFlows = { 'campaign-outbound': campaignOutboundFlow as unknown as CodeFlow, 't-optout': optoutFlow as unknown as CodeFlow };
  await h.route('5100', 't-optout');
  rt = await startEngineRuntime(await h.config({ ENGINE_ID: 'e-handoff' }), { codeFlows });
  await waitFor(() => rt.nodes.isEslUp('fs1'), { what: 'engine ESL up' });
  db = asDialerDb(h.db);
  sw = new EslSwitch({ password: 'ClueCon', logger });
  producer = new CallLogProducer({ redis: h.redis, stream: h.keys.callLogStream(), spoolDir });
  await producer.start();
}, 30_000);
afterAll(async () => {
  await sw?.close();
  await producer?.close();
  await rt?.close();
  await h.stop();
  rmSync(spoolDir, { recursive: true, force: true });
});

/** A dialer runner over real ESL whose answered calls wait for the engine's hand-off marker. */
function dialer(id: string, watcher: EngineHandoffWatcher): DialerRunner {
  return new DialerRunner({
    dialerId: id,
    db,
    switch: sw,
    nodes: pgNodeSource(db, sw),
    logger,
    onAnswered: watcher.port,
    attemptLog: callLogAttemptLog(producer),
    originateTimeoutSec: 5,
    dialString: () => 'sim/answer/50',
  });
}

async function campaign(phones: string[]): Promise<string> {
  const svc = new CampaignService(db);
  const c = await svc.create({ name: `h-${Math.random().toString(36).slice(2, 8)}`, flowId: 'campaign-outbound', callerId: '+442071234567', gateway: 'gw1', allowedPrefixes: ['+44'], maxCps: 20, maxAttempts: 1 }, 'test');
  await h.db
    .insertInto('contacts')
    .values(phones.map((p) => ({ campaign_id: c.id, phone_e164: p, data: '{}', next_attempt_at: new Date(0) })))
    .execute();
  await svc.start(c.id, 'test');
  return c.id;
}

async function callUuidOf(campaignId: string, phone: string): Promise<string> {
  return waitFor(
    async () => (await db.selectFrom('attempts').select('call_uuid').where('campaign_id', '=', campaignId).where('phone_e164', '=', phone).executeTakeFirst())?.call_uuid ?? null,
    { what: `attempt for ${phone}` },
  );
}

/** Waits until the flow entered `state` on `uuid` (its step is in the call-log stream). */
function entered(uuid: string, state: string): Promise<LoggedEvent> {
  return waitFor(async () => (await h.events(uuid)).find((e) => e.type === 'ivr.step' && e.kind === 'state' && e.state === state) ?? null, { what: `${uuid} in ${state}`, timeoutMs: 8_000 });
}

describe('dialer → engine hand-off', () => {
  it('an answered campaign call runs the campaign flow in the engine, is handed off (not abandoned), and an opt-out lands in dnc', async () => {
    const agent = '+447911000001';
    const optout = '+447911000002';
    const c = await campaign([agent, optout]);
    const watcher = new EngineHandoffWatcher(h.redis, { key: h.keys.callHandoff });
    const r = dialer('handoff-1', watcher);
    await r.start();
    try {
      const [ua, uo] = [await callUuidOf(c, agent), await callUuidOf(c, optout)];
      await entered(ua, 'offer');
      sim.pressDigits(ua, '1');
      await entered(uo, 'offer');
      sim.pressDigits(uo, '9');
      await entered(uo, 'optout_confirm');
      sim.pressDigits(uo, '1');
      await waitFor(async () => (await new CampaignService(db).get(c)).state === 'completed', { timeoutMs: 15_000, what: 'campaign completed' });

      // Handed off: the engine's marker names it; both attempts answered, none abandoned.
      expect(await h.redis.get(h.keys.callHandoff(ua))).toBe('e-handoff');
      const rows = await db.selectFrom('attempts').select(['phone_e164', 'outcome', 'answered_at']).where('campaign_id', '=', c).execute();
      expect(rows.map((x) => x.outcome).sort()).toEqual(['answered', 'answered']);
      expect(rows.every((x) => x.answered_at !== null)).toBe(true);
      expect(rt.engine.stats.dialerHandoffs).toBeGreaterThanOrEqual(2);

      // The opt-out confirmed in the flow is on the campaign's DNC list at once.
      const dnc = await h.db.selectFrom('dnc').selectAll().where('phone_e164', '=', optout).execute();
      expect(dnc).toMatchObject([{ campaign_id: c, source: 'ivr', reason: 'campaign-optout' }]);
      expect(await new DncService(db).isListed(optout, c)).toBe(true);

      // One leg per call in the log: the dialer's lifecycle + the engine's steps, one key.
      for (const uuid of [ua, uo]) {
        const evs = await waitFor(async () => {
          const e = await h.events(uuid);
          return e.some((x) => x.type === 'leg.hungup') ? e : null;
        }, { what: 'leg hung up in the log' });
        const count = (t: string) => evs.filter((e) => e.type === t).length;
        expect(count('leg.created')).toBe(1);
        expect(count('leg.hungup')).toBe(1);
        expect(evs.find((e) => e.type === 'leg.created')).toMatchObject({ campaignId: c, flowId: 'campaign-outbound', direction: 'outbound' });
        expect(new Set(evs.map((e) => e.startedAt)).size).toBe(1);
        expect(new Set(evs.map((e) => e.id)).size).toBe(evs.length);
        const steps = evs.filter((e) => e.type === 'ivr.step');
        expect(steps.length).toBeGreaterThan(3);
        expect(steps.every((e) => e.flowId === 'campaign-outbound' && e.seq >= 3 && e.direction === 'outbound')).toBe(true);
        // What the recorder makes of it: every event valid, one call_legs row with both sides' facts.
        const parsed = evs.map((e) => parseCallLogEvent(e));
        expect(parsed.every((p) => p.ok)).toBe(true);
        const { legs } = foldEvents(parsed.map((p) => (p as { event: CallLogEvent }).event));
        expect(legs).toHaveLength(1);
        expect(legs[0]).toMatchObject({ campaign_id: c, flow_id: 'campaign-outbound', hangup_cause: 'NORMAL_CLEARING' });
        expect(legs[0]?.ivr_last_state).toBe(uuid === ua ? 'agent' : 'optout_bye');
        expect(legs[0]?.answered_at).not.toBeNull();
      }
      expect((await h.events(ua)).find((e) => e.type === 'leg.transferred')).toMatchObject({ transferredTo: 'queue:campaign-agents' });
      expect((await h.events(uo)).some((e) => e.type === 'ivr.step' && e.state === 'optout_done')).toBe(true);
    } finally {
      await r.stop();
      watcher.close();
    }
  });

  it('a call the engine does not take (unknown flow: refused, no marker) counts as abandoned', async () => {
    const phone = '+447911000003';
    const c = await campaign([phone]);
    // A flow the engine does not know: it refuses the call, so no hand-off marker.
    await h.db.insertInto('ivr_flows').values({ id: 'no-such-flow', name: 'x', source: 'code' }).execute();
    await h.db.updateTable('campaigns').set({ flow_id: 'no-such-flow' }).where('id', '=', c).execute();
    const watcher = new EngineHandoffWatcher(h.redis, { key: h.keys.callHandoff });
    const r = dialer('handoff-2', watcher);
    await r.start();
    try {
      await waitFor(async () => (await new CampaignService(db).get(c)).state === 'completed', { timeoutMs: 15_000, what: 'campaign completed' });
      const row = await db.selectFrom('attempts').select(['outcome', 'call_uuid']).where('campaign_id', '=', c).executeTakeFirstOrThrow();
      expect(row.outcome).toBe('abandoned');
      expect(await h.redis.get(h.keys.callHandoff(row.call_uuid ?? ''))).toBeNull();
    } finally {
      await r.stop();
      watcher.close();
    }
  });

  it('an inbound opt-out puts the caller on the global list (idempotent) and the dialer then skips that number', async () => {
    const caller = '+447911000009';
    for (let i = 0; i < 2; i++) {
      const uuid = sim.placeCall({ destination: '5100', callerIdNumber: caller, script: 'wait 700ms; press 9; wait 700ms; press 1' }) as string;
      await waitFor(async () => (await h.events(uuid)).find((e) => e.type === 'leg.hungup') ?? null, { what: 'opt-out call ended', timeoutMs: 8_000 });
      const lookup = (await h.events(uuid)).find((e) => e.type === 'ivr.step' && e.kind === 'lookup');
      expect(lookup).toMatchObject({ detail: { name: 'dnc.add', result: 'ok' } });
    }
    const listed = await h.db.selectFrom('dnc').selectAll().where('phone_e164', '=', caller).execute();
    expect(listed).toMatchObject([{ campaign_id: null, source: 'ivr', reason: 'ivr-optout' }]);

    const other = '+447911000010';
    const c = await campaign([caller, other]);
    const watcher = new EngineHandoffWatcher(h.redis, { key: h.keys.callHandoff });
    const r = dialer('handoff-3', watcher);
    await r.start();
    try {
      const uo = await callUuidOf(c, other);
      await entered(uo, 'offer');
      sim.pressDigits(uo, '1');
      await waitFor(async () => (await new CampaignService(db).get(c)).state === 'completed', { timeoutMs: 15_000, what: 'campaign completed' });
      const attempts = await db.selectFrom('attempts').select('phone_e164').where('campaign_id', '=', c).execute();
      expect(attempts.map((a) => a.phone_e164)).toEqual([other]);
      const skipped = await h.db.selectFrom('contacts').select('state').where('campaign_id', '=', c).where('phone_e164', '=', caller).executeTakeFirstOrThrow();
      expect(skipped.state).toBe('dnc');
    } finally {
      await r.stop();
      watcher.close();
    }
  });
});
