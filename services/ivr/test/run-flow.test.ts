import { describe, expect, it } from 'vitest';
import {
  type ChannelDriver,
  compileFlow,
  FlowCompileError,
  type FlowNode,
  MemoryDriver,
  runFlow,
  type StepEvent,
  VirtualClock,
} from '../src/index.ts';
import { fixtureCatalogue } from './fixtures/catalogue.ts';

const call = { callId: 'leg-1', direction: 'inbound' as const, from: '+15550001', to: '+15550002' };

function compile(states: Record<string, FlowNode>, initial: string) {
  return compileFlow({ id: 't', version: 7, initial, states }, fixtureCatalogue);
}

/** Wraps a driver and records which signals were aborted. */
function spying(inner: MemoryDriver) {
  const signals: { op: string; signal: AbortSignal }[] = [];
  const calls: string[] = [];
  const wrap = <K extends keyof ChannelDriver>(op: K) =>
    ((...args: unknown[]) => {
      calls.push(op);
      const opts = args[args.length - 1] as { signal?: AbortSignal } | undefined;
      if (opts?.signal) signals.push({ op, signal: opts.signal });
      return (inner[op] as (...a: unknown[]) => unknown).apply(inner, args);
    }) as ChannelDriver[K];
  const driver: ChannelDriver = {
    callId: inner.callId,
    answer: wrap('answer'),
    play: wrap('play'),
    playAndGetDigits: wrap('playAndGetDigits'),
    say: wrap('say'),
    transfer: wrap('transfer'),
    bridge: wrap('bridge'),
    setVar: wrap('setVar'),
    hangup: wrap('hangup'),
    onEvent: (l) => inner.onEvent(l),
  };
  return { driver, signals, calls };
}

const timing = { interDigitTimeoutMs: 3000, noInputTimeoutMs: 5000, maxRetries: 1 } as const;

describe('runFlow', () => {
  it('emits step events as data with seq, clock time, flow id/version and state', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5, 9, 0));
    const driver = new MemoryDriver(clock, { callId: 'leg-1' });
    const flow = compile(
      {
        hi: { kind: 'play', prompts: ['menu'], next: 'set' },
        set: { kind: 'setVar', name: 'greeted', value: 'yes-{{caller}}', channel: true, next: 'bye' },
        bye: { kind: 'hangup', disposition: 'completed' },
      },
      'hi',
    );
    const steps: StepEvent[] = [];
    const running = runFlow(flow, { driver, clock, call, onStep: (e) => steps.push(e) });
    await clock.advance(5000);
    const out = await running;
    expect(out).toMatchObject({ flowId: 't', flowVersion: 7, end: 'hangup', disposition: 'completed', lastState: 'bye' });
    expect(out.vars.greeted).toBe('yes-+15550001');
    expect(steps.map((s) => `${s.state}:${s.kind}`)).toEqual(['hi:state', 'hi:prompt', 'set:state', 'set:set-var', 'bye:state', 'bye:hangup', 'bye:end']);
    expect(steps.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(steps[1]).toEqual({
      callId: 'leg-1',
      seq: 2,
      at: Date.UTC(2026, 0, 5, 9, 0) + 2000,
      flowId: 't',
      flowVersion: 7,
      state: 'hi',
      kind: 'prompt',
      detail: { prompts: ['menu'], completed: true, bargedInWith: undefined },
    });
    // Precondition: play needs an answered channel, so the runtime answered first.
    expect(driver.actions.map((a) => a.op)).toEqual(['answer', 'play', 'set-var', 'hangup']);
  });

  it('a caller hangup aborts the pending driver call and ends as caller-hangup', async () => {
    const clock = new VirtualClock();
    const mem = new MemoryDriver(clock);
    const spy = spying(mem);
    const flow = compile(
      {
        main: { kind: 'menu', prompt: ['menu'], ...timing, options: { '1': 'bye' }, onExhausted: 'bye' },
        bye: { kind: 'hangup', disposition: 'completed' },
      },
      'main',
    );
    const running = runFlow(flow, { driver: spy.driver, clock, call });
    await clock.advance(1000);
    mem.callerHangup('NORMAL_CLEARING');
    const out = await running;
    expect(out).toMatchObject({ end: 'caller-hangup', lastState: 'main' });
    const pending = spy.signals.filter((s) => s.op === 'playAndGetDigits');
    expect(pending).toHaveLength(1);
    expect(pending[0]!.signal.aborted).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('the engine aborting ends the run as aborted and cancels what is pending', async () => {
    const clock = new VirtualClock();
    const spy = spying(new MemoryDriver(clock));
    const flow = compile({ p: { kind: 'play', prompts: ['menu'], next: 'bye' }, bye: { kind: 'hangup', disposition: 'x' } }, 'p');
    const ac = new AbortController();
    const running = runFlow(flow, { driver: spy.driver, clock, call, signal: ac.signal });
    await clock.advance(500);
    ac.abort();
    expect(await running).toMatchObject({ end: 'aborted', lastState: 'p' });
    expect(spy.signals.find((s) => s.op === 'play')!.signal.aborted).toBe(true);
  });

  it('bridge: failure takes onFailure, answered ends the flow', async () => {
    const states: Record<string, FlowNode> = {
      b: { kind: 'bridge', target: 'sip:desk@127.0.0.1', timeoutMs: 20_000, onFailure: 'vm' },
      vm: { kind: 'transfer', target: { kind: 'flow', flowId: 'voicemail' } },
    };
    const flow = compile(states, 'b');
    for (const [outcome, expected] of [
      ['busy', { end: 'transfer', transfer: { kind: 'flow', flowId: 'voicemail' }, disposition: 'transferred' }],
      ['answered', { end: 'bridge', disposition: 'bridged' }],
    ] as const) {
      const clock = new VirtualClock();
      const driver = new MemoryDriver(clock, { bridgeOutcome: () => ({ outcome }) });
      const running = runFlow(flow, { driver, clock, call });
      await clock.advance(10);
      expect(await running).toMatchObject(expected);
    }
  });

  it('an unexpected driver failure ends as error with the message, a throwing onStep is ignored', async () => {
    const clock = new VirtualClock();
    const mem = new MemoryDriver(clock);
    const driver: ChannelDriver = Object.assign(Object.create(mem) as MemoryDriver, {
      say: async () => {
        throw new Error('say engine missing');
      },
    });
    const flow = compile({ s: { kind: 'say', as: 'digits', value: '123', next: 'bye' }, bye: { kind: 'hangup', disposition: 'x' } }, 's');
    const running = runFlow(flow, { driver, clock, call, onStep: () => { throw new Error('listener bug'); } });
    await clock.advance(10);
    expect(await running).toMatchObject({ end: 'error', lastState: 's', error: expect.stringContaining('say engine missing') });
  });

  it('a missing lookup and a say of a non-number fall through without crashing', async () => {
    const clock = new VirtualClock();
    const driver = new MemoryDriver(clock);
    const flow = compile(
      {
        l: { kind: 'lookup', name: 'nope', timeoutMs: 1000, next: 'say', fallback: 'say' },
        say: { kind: 'say', as: 'number', value: '{{balance}}', next: 'bye' },
        bye: { kind: 'hangup', disposition: 'x' },
      },
      'l',
    );
    const steps: StepEvent[] = [];
    const running = runFlow(flow, { driver, clock, call, onStep: (e) => steps.push(e) });
    await clock.advance(10);
    expect((await running).disposition).toBe('x');
    expect(steps.find((s) => s.kind === 'lookup')!.detail).toMatchObject({ result: 'error', error: 'no such lookup' });
    expect(steps.find((s) => s.kind === 'say')!.detail).toMatchObject({ skipped: 'not a number' });
    expect(driver.actions.some((a) => a.op === 'say')).toBe(false);
  });

  it('a lookup past its timeout takes the fallback, its work is aborted, and its late result moves nothing', async () => {
    const clock = new VirtualClock();
    const driver = new MemoryDriver(clock);
    let late!: (v: Record<string, string>) => void;
    let lookupSignal: AbortSignal | undefined;
    const flow = compile(
      {
        l: { kind: 'lookup', name: 'slow', timeoutMs: 1000, next: 'ok', fallback: 'fb' },
        fb: { kind: 'play', prompts: ['menu'], next: 'bye' },
        ok: { kind: 'hangup', disposition: 'took-ok' },
        bye: { kind: 'hangup', disposition: 'took-fallback' },
      },
      'l',
    );
    const steps: StepEvent[] = [];
    const lookups = {
      slow: (_args: Readonly<Record<string, string>>, o: { readonly signal: AbortSignal }) => {
        lookupSignal = o.signal;
        return new Promise<Record<string, string>>((r) => {
          late = r;
        });
      },
    };
    const running = runFlow(flow, { driver, clock, call, lookups, onStep: (e) => steps.push(e) });
    await clock.advance(1000);
    expect(lookupSignal?.aborted).toBe(true);
    // The fallback's prompt is playing when the lookup answers after all.
    late({ balance: '42' });
    await clock.advance(5000);
    const outcome = await running;
    expect(outcome.disposition).toBe('took-fallback');
    expect(outcome.vars.balance).toBeUndefined();
    expect(steps.filter((s) => s.kind === 'state').map((s) => s.state)).toEqual(['l', 'fb', 'bye']);
    expect(steps.find((s) => s.kind === 'lookup')!.detail).toMatchObject({ result: 'timeout', ms: 1000 });
  });

  it('refuses specs it cannot compile, with a clear message', () => {
    expect(() => compile({ a: { kind: 'play', prompts: [], next: 'zz' } }, 'a')).toThrow(FlowCompileError);
    expect(() => compile({ a: { kind: 'play', prompts: [], next: 'zz' } }, 'a')).toThrow(/state "a".*unknown state "zz"/);
    expect(() => compile({ __end: { kind: 'hangup', disposition: 'x' } }, '__end')).toThrow(/reserved/);
    expect(() => compile({ a: { kind: 'hangup', disposition: 'x' } }, 'b')).toThrow(/initial state "b"/);
  });
});

describe('runFlow re-entry', () => {
  it('an edge back to the same state runs its verb again', async () => {
    const clock = new VirtualClock();
    const driver = new MemoryDriver(clock);
    const flow = compile(
      {
        main: { kind: 'menu', prompt: ['menu'], ...timing, options: { '1': 'main', '2': 'bye' }, onExhausted: 'bye' },
        bye: { kind: 'hangup', disposition: 'completed' },
      },
      'main',
    );
    const steps: StepEvent[] = [];
    const running = runFlow(flow, { driver, clock, call, onStep: (e) => steps.push(e) });
    for (const key of ['1', '1', '2']) {
      await clock.advance(3000);
      driver.press(key);
    }
    await clock.advance(1000);
    expect(await running).toMatchObject({ end: 'hangup', disposition: 'completed' });
    expect(steps.filter((s) => s.kind === 'state').map((s) => s.state)).toEqual(['main', 'main', 'main', 'bye']);
  });
});

describe('runFlow loop guard', () => {
  it('stops a loop of states that never wait on the caller', async () => {
    const clock = new VirtualClock();
    const driver = new MemoryDriver(clock);
    const flow = compileFlow(
      {
        id: 'spin',
        version: 1,
        initial: 'a',
        states: {
          a: { kind: 'setVar', name: 'x', value: '1', next: 'b' },
          b: { kind: 'setVar', name: 'x', value: '2', next: 'a' },
        },
      },
      fixtureCatalogue,
    );
    const out = await runFlow(flow, { driver, clock, call, maxStates: 50 });
    expect(out).toMatchObject({ end: 'error', error: 'entered more than 50 states; stopped a runaway loop' });
    expect(out.steps).toBeGreaterThan(50);
  });
});

describe('runFlow own hangup', () => {
  it('keeps the flow disposition when the driver reports the hangup it was asked for', async () => {
    const clock = new VirtualClock();
    const mem = new MemoryDriver(clock);
    // Like ESL: CHANNEL_HANGUP arrives before the command reply, then the call rejects.
    const driver: ChannelDriver = Object.assign(Object.create(mem) as MemoryDriver, {
      hangup: async () => {
        mem.callerHangup('NORMAL_CLEARING');
        throw new (await import('../src/index.ts')).ChannelHangupError('NORMAL_CLEARING');
      },
    });
    const flow = compile({ bye: { kind: 'hangup', disposition: 'completed' } }, 'bye');
    const running = runFlow(flow, { driver, clock, call });
    await clock.advance(10);
    expect(await running).toMatchObject({ end: 'hangup', disposition: 'completed' });
  });
});

describe('runFlow startState (takeover)', () => {
  const states: Record<string, FlowNode> = {
    hi: { kind: 'play', prompts: ['menu'], next: 'set' },
    set: { kind: 'setVar', name: 'note', value: '{{acct}}-{{caller}}', next: 'again' },
    again: { kind: 'play', prompts: ['menu'], next: 'bye' },
    bye: { kind: 'hangup', disposition: 'completed' },
  };

  it('starts in the given state with restored vars; an answered channel is not answered again', async () => {
    const clock = new VirtualClock();
    const driver = new MemoryDriver(clock, { callId: 'leg-1' });
    const flow = compile(states, 'hi');
    const steps: StepEvent[] = [];
    const running = runFlow(flow, { driver, clock, call, startState: 'set', vars: { acct: 'A7', caller: '+15559999' }, answered: true, onStep: (e) => steps.push(e) });
    await clock.advance(5000);
    const out = await running;
    expect(out).toMatchObject({ end: 'hangup', disposition: 'completed', lastState: 'bye' });
    expect(out.vars).toMatchObject({ acct: 'A7', caller: '+15559999', note: 'A7-+15559999', dialled: '+15550002' });
    expect(steps.map((s) => `${s.state}:${s.kind}`)).toEqual(['set:state', 'set:set-var', 'again:state', 'again:prompt', 'bye:state', 'bye:hangup', 'bye:end']);
    expect(driver.actions.map((a) => a.op)).toEqual(['play', 'hangup']);
    // The original flow is untouched: a fresh call still starts at its initial state.
    const d2 = new MemoryDriver(clock, { callId: 'leg-2' });
    const again = runFlow(flow, { driver: d2, clock, call: { ...call, callId: 'leg-2' } });
    await clock.advance(10_000);
    expect((await again).lastState).toBe('bye');
    expect(d2.actions.map((a) => a.op)).toEqual(['answer', 'play', 'play', 'hangup']);
  });

  it('without `answered` the first verb needing it answers first', async () => {
    const clock = new VirtualClock();
    const driver = new MemoryDriver(clock, { callId: 'leg-1' });
    const running = runFlow(compile(states, 'hi'), { driver, clock, call, startState: 'again' });
    await clock.advance(5000);
    expect((await running).end).toBe('hangup');
    expect(driver.actions.map((a) => a.op)).toEqual(['answer', 'play', 'hangup']);
  });

  it('an unknown start state is an error outcome (no throw, nothing sent to the channel)', async () => {
    const clock = new VirtualClock();
    const flow = compile(states, 'hi');
    for (const bad of ['nope', '__end', 'constructor', '']) {
      const driver = new MemoryDriver(clock, { callId: 'leg-1' });
      const steps: StepEvent[] = [];
      const out = await runFlow(flow, { driver, clock, call, startState: bad, vars: { acct: 'A7' }, onStep: (e) => steps.push(e) });
      expect(out).toMatchObject({ end: 'error', disposition: 'error', lastState: bad, steps: 1 });
      expect(out.error).toBe(`start state "${bad}" is not a state of flow t v7`);
      expect(out.vars.acct).toBe('A7');
      expect(driver.actions).toEqual([]);
      expect(steps.map((s) => s.kind)).toEqual(['end']);
    }
  });
});
