import { type LookupPort, simulateFlow } from '@switchyard/ivr';
import { describe, expect, it } from 'vitest';
import { campaignOutboundFlow } from '../campaign-outbound.ts';
import { simulationLookups } from '../sim-lookups.ts';

const flow = campaignOutboundFlow.compile();
const call = { direction: 'outbound' as const, from: '+441632960100', to: '+441632960555', vars: { campaign_id: 'c-42' } };

function sim(script: string, lookups: LookupPort = simulationLookups) {
  return simulateFlow(flow, { script, lookups, call });
}

function recordingDnc(calls: Record<string, string>[], fail = false): LookupPort {
  return {
    'dnc.add': async (a) => {
      calls.push({ ...a });
      if (fail) throw new Error('dnc store down');
      return { dnc: 'added' };
    },
  };
}

describe('campaign-outbound flow', () => {
  it('plays the whole message, then 1 connects to a campaign agent', async () => {
    const r = await sim('wait 14s; press 1');
    expect(r.steps.find((s) => s.kind === 'prompt' && s.state === 'message')?.detail).toMatchObject({ completed: true });
    expect(r.path).toEqual(['message', 'offer', 'agent']);
    expect(r.outcome.transfer).toEqual({ kind: 'queue', queue: 'campaign-agents' });
  });

  it('pressing 1 during the message barges in', async () => {
    const r = await sim('wait 3s; press 1');
    expect(r.steps.find((s) => s.kind === 'prompt' && s.state === 'message')?.detail).toMatchObject({ completed: false, bargedInWith: '1' });
    expect(r.outcome.disposition).toBe('agent');
  });

  it('9 then 1 opts out: dnc.add gets the contact number and campaign', async () => {
    const calls: Record<string, string>[] = [];
    const r = await sim('wait 13s; press 9; wait 1s; press 1', recordingDnc(calls));
    expect(calls).toEqual([{ number: '+441632960555', campaign: 'c-42', reason: 'campaign-optout' }]);
    expect(r.outcome).toMatchObject({ end: 'hangup', disposition: 'opted-out' });
  });

  it('opt-out declined (2) returns to the offer and adds nothing to DNC', async () => {
    const calls: Record<string, string>[] = [];
    const r = await sim('wait 13s; press 9; wait 1s; press 2; wait 1s; press 1', recordingDnc(calls));
    expect(calls).toEqual([]);
    expect(r.path).toEqual(['message', 'offer', 'optout_confirm', 'offer', 'agent']);
  });

  it('a DNC write that fails hands the caller to an agent', async () => {
    const calls: Record<string, string>[] = [];
    const r = await sim('wait 13s; press 9; wait 1s; press 1', recordingDnc(calls, true));
    expect(calls).toHaveLength(1);
    expect(r.path.slice(-2)).toEqual(['optout_failed', 'agent']);
  });

  it('invalid key is re-prompted once, then retries run out to a polite goodbye', async () => {
    const r = await sim('wait 13s; press 5; wait 3s; press 6');
    expect(r.steps.filter((s) => s.kind === 'invalid')).toHaveLength(2);
    expect(r.outcome).toMatchObject({ end: 'hangup', disposition: 'no-response' });
  });

  it('no input at all ends with no-response after the retry', async () => {
    const r = await sim('wait 1m');
    expect(r.steps.filter((s) => s.kind === 'timeout')).toHaveLength(2);
    expect(r.path).toEqual(['message', 'offer', 'goodbye', 'bye']);
  });

  it('silence in the confirm step goes to the goodbye, not to DNC', async () => {
    const calls: Record<string, string>[] = [];
    const r = await sim('wait 13s; press 9; wait 1m', recordingDnc(calls));
    expect(calls).toEqual([]);
    expect(r.outcome.disposition).toBe('no-response');
  });
});
