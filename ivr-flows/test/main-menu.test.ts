import { type LookupPort, type SimulateOptions, simulateFlow } from '@switchyard/ivr';
import { describe, expect, it } from 'vitest';
import { mainMenuFlow } from '../main-menu.ts';
import { simulationLookups } from '../sim-lookups.ts';

const flow = mainMenuFlow.compile();
// Monday 2026-01-05 10:00 UTC = 10:00 London (open); 21:30 is closed; Sunday is closed.
const OPEN = Date.UTC(2026, 0, 5, 10, 0);
const EVENING = Date.UTC(2026, 0, 5, 21, 30);
const SUNDAY = Date.UTC(2026, 0, 4, 12, 0);

function sim(script: string, extra: Partial<SimulateOptions> = {}) {
  return simulateFlow(flow, { script, startAt: OPEN, lookups: simulationLookups, ...extra });
}

describe('main-menu flow', () => {
  it('1 goes to sales (barging in on the welcome)', async () => {
    const r = await sim('wait 1s; press 1');
    expect(r.path).toEqual(['hours', 'welcome', 'main', 'sales']);
    expect(r.outcome).toMatchObject({ end: 'transfer', disposition: 'sales', transfer: { kind: 'queue', queue: 'sales' } });
  });

  it('2 then 1 reaches technical support; * in support goes back to the main menu', async () => {
    expect((await sim('wait 4s; press 2; wait 1s; press 1')).outcome.transfer).toEqual({ kind: 'queue', queue: 'support-tech' });
    const back = await sim('wait 4s; press 2; wait 1s; press *; wait 1s; press 1');
    expect(back.path).toEqual(['hours', 'welcome', 'main', 'support', 'main', 'sales']);
  });

  it('account balance: digits → lookup → balance said → back to main with *', async () => {
    const r = await sim('wait 4s; press 3; wait 2s; press 1000042#; wait 5s; press *; wait 1s; press 2; wait 1s; press 2');
    expect(r.path).toEqual(['hours', 'welcome', 'main', 'account', 'balance_lookup', 'balance_intro', 'balance_say', 'balance_menu', 'main', 'support', 'support_billing']);
    const lookup = r.steps.find((s) => s.kind === 'lookup');
    expect(lookup?.detail).toMatchObject({ name: 'account.balance', result: 'ok' });
    expect(r.steps.find((s) => s.kind === 'say')?.detail).toMatchObject({ as: 'number', value: '42' });
  });

  it('a too-short account number is rejected; three bad entries reach an agent', async () => {
    const r = await sim('wait 4s; press 3; wait 1s; press 12#; wait 5s; press 1234#; wait 5s; press 99#');
    expect(r.steps.filter((s) => s.kind === 'invalid' && s.state === 'account').map((s) => s.detail.digits)).toEqual(['12', '1234', '99']);
    expect(r.path.slice(-2)).toEqual(['account', 'agent']);
    expect(r.steps.some((s) => s.kind === 'lookup')).toBe(false);
  });

  it('an account number typed without # is taken after the inter-digit timeout', async () => {
    const r = await sim('wait 4s; press 3; wait 1s; press 1000042; wait 10s; press *; wait 1s; press 1');
    expect(r.steps.find((s) => s.kind === 'digits' && s.state === 'account')?.detail).toMatchObject({ digits: '1000042', end: 'inter-digit-timeout', valid: true });
    expect(r.outcome.disposition).toBe('sales');
  });

  it('a failing balance lookup apologises and goes to an agent', async () => {
    const r = await sim('wait 4s; press 3; wait 1s; press 999999#');
    expect(r.path.slice(-3)).toEqual(['balance_lookup', 'lookup_failed', 'agent']);
    expect(r.steps.find((s) => s.kind === 'lookup')?.detail).toMatchObject({ result: 'error' });
  });

  it('a slow balance lookup is abandoned at its timeout, not waited for', async () => {
    const lookups = (clock: { sleep(ms: number, s?: AbortSignal): Promise<void> }): LookupPort => ({
      ...simulationLookups,
      'account.balance': async (_a, { signal }) => {
        await clock.sleep(60_000, signal);
        return { balance: '1' };
      },
    });
    const r = await sim('wait 4s; press 3; wait 1s; press 1000042#', { lookups });
    const entered = r.steps.find((s) => s.kind === 'state' && s.state === 'balance_lookup')!;
    const timedOut = r.steps.find((s) => s.kind === 'lookup')!;
    expect(timedOut.detail).toMatchObject({ result: 'timeout' });
    expect(timedOut.at - entered.at).toBe(3000);
    expect(r.outcome.disposition).toBe('agent');
  });

  it('invalid input re-prompts with the invalid prompt, then accepts a valid key', async () => {
    const r = await sim('wait 4s; press 7; wait 2s; press 1');
    expect(r.steps.filter((s) => s.kind === 'invalid').map((s) => s.detail.digits)).toEqual(['7']);
    const prompts = r.steps.filter((s) => s.kind === 'prompt' && s.state === 'main').map((s) => s.detail.prompts);
    expect(prompts).toEqual([['main-menu'], ['invalid', 'main-menu']]);
    expect(r.outcome.disposition).toBe('sales');
  });

  it('no input: re-prompts, and when retries are exhausted the caller reaches an agent', async () => {
    const r = await sim('wait 2m');
    expect(r.steps.filter((s) => s.kind === 'timeout' && s.state === 'main')).toHaveLength(3);
    expect(r.steps.some((s) => s.kind === 'exhausted')).toBe(true);
    expect(r.outcome).toMatchObject({ disposition: 'agent', lastState: 'agent' });
  });

  it('invalid input three times also ends with an agent', async () => {
    const r = await sim('wait 4s; press 7; wait 3s; press 8; wait 3s; press 5');
    expect(r.steps.filter((s) => s.kind === 'invalid')).toHaveLength(3);
    expect(r.outcome.disposition).toBe('agent');
  });

  it('0 reaches an agent from every menu', async () => {
    for (const script of ['wait 4s; press 0', 'wait 4s; press 2; wait 1s; press 0', 'wait 4s; press 9; wait 1s; press 0', 'wait 4s; press 3; wait 1s; press 1000042#; wait 5s; press 0']) {
      expect((await sim(script)).outcome.transfer).toEqual({ kind: 'queue', queue: 'agents' });
    }
  });

  it('opt-out: 9 then 1 confirms, writes DNC with the caller number, says goodbye', async () => {
    const calls: Record<string, string>[] = [];
    const lookups: LookupPort = { ...simulationLookups, 'dnc.add': async (a) => {
        calls.push({ ...a });
        return { dnc: 'added' };
      },
    };
    const r = await sim('wait 4s; press 9; wait 1s; press 1', { lookups, call: { from: '+441632960777' } });
    expect(calls).toEqual([{ number: '+441632960777', reason: 'ivr-optout' }]);
    expect(r.outcome).toMatchObject({ end: 'hangup', disposition: 'opted-out' });
  });

  it('opt-out declined with 2 goes back to the main menu and writes nothing', async () => {
    const calls: unknown[] = [];
    const lookups: LookupPort = { ...simulationLookups, 'dnc.add': async (a) => {
        calls.push(a);
        return {};
      },
    };
    const r = await sim('wait 4s; press 9; wait 1s; press 2; wait 1s; press 1', { lookups });
    expect(calls).toEqual([]);
    expect(r.path).toEqual(['hours', 'welcome', 'main', 'optout_confirm', 'main', 'sales']);
  });

  it('after hours (evening and Sunday) plays the closed message and hangs up', async () => {
    for (const startAt of [EVENING, SUNDAY]) {
      const r = await sim('wait 1s; press 1', { startAt });
      expect(r.path).toEqual(['hours', 'closed', 'closed_bye']);
      expect(r.outcome.disposition).toBe('after-hours');
    }
  });

  it('caller hanging up mid-menu ends the run as caller-hangup in that state', async () => {
    const r = await sim('wait 5s; hangup');
    expect(r.outcome).toMatchObject({ end: 'caller-hangup', lastState: 'main' });
  });
});
