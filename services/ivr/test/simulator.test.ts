import { describe, expect, it } from 'vitest';
import { MemoryDriver, parseScript, ScriptParseError, VirtualClock } from '../src/index.ts';

describe('simulation script', () => {
  it('parses waits, presses and hangup', () => {
    expect(parseScript('wait 2s; press 1; wait 6s; press 0')).toEqual([
      { op: 'wait', ms: 2000 },
      { op: 'press', digits: '1' },
      { op: 'wait', ms: 6000 },
      { op: 'press', digits: '0' },
    ]);
    expect(parseScript('wait 250ms\npress 12#;wait 1.5s; wait 1m; hangup')).toEqual([
      { op: 'wait', ms: 250 },
      { op: 'press', digits: '12#' },
      { op: 'wait', ms: 1500 },
      { op: 'wait', ms: 60_000 },
      { op: 'hangup' },
    ]);
  });

  it('names the bad step', () => {
    expect(() => parseScript('wait 2s; press x')).toThrow(ScriptParseError);
    expect(() => parseScript('wait 2s; press x')).toThrow(/step 2 \("press x"\)/);
    expect(() => parseScript('wait two')).toThrow(/step 1.*duration/);
    expect(() => parseScript('dance')).toThrow(/unknown action "dance"/);
  });
});

describe('in-memory driver on the virtual clock', () => {
  const req = { prompts: [], minDigits: 1, maxDigits: 4, terminator: '#', interDigitTimeoutMs: 3000, noInputTimeoutMs: 5000 };

  it('no input ends at the no-input timeout', async () => {
    const clock = new VirtualClock(0);
    const d = new MemoryDriver(clock);
    const p = d.playAndGetDigits(req);
    await clock.advance(4999);
    let done = false;
    p.then(() => {
      done = true;
    });
    await clock.advance(0);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(await p).toEqual({ digits: '', end: 'no-input' });
  });

  it('inter-digit timeout, terminator and max digits end collection', async () => {
    const clock = new VirtualClock(0);
    const d = new MemoryDriver(clock);
    let p = d.playAndGetDigits(req);
    await clock.advance(1000);
    d.press('4');
    await clock.advance(3000);
    expect(await p).toEqual({ digits: '4', end: 'inter-digit-timeout' });
    p = d.playAndGetDigits(req);
    for (const k of '12#') d.press(k);
    expect(await p).toEqual({ digits: '12', end: 'terminator' });
    p = d.playAndGetDigits(req);
    for (const k of '123456') d.press(k);
    expect(await p).toEqual({ digits: '1234', end: 'max-digits' });
    // The two extra keys stay buffered for the next collect, as on a switch.
    expect(await d.playAndGetDigits({ ...req, maxDigits: 2 })).toEqual({ digits: '56', end: 'max-digits' });
  });

  it('barge-in stops a prompt early and keeps the key; without barge-in the prompt plays out', async () => {
    const clock = new VirtualClock(0);
    const d = new MemoryDriver(clock);
    const prompt = [{ id: 'p', file: 'ivr/p.wav', durationMs: 4000 }];
    const barged = d.play(prompt, { bargeIn: true });
    await clock.advance(1000);
    d.press('7');
    expect(await barged).toEqual({ completed: false, bargedInWith: '7' });
    expect(clock.now()).toBe(1000);
    const whole = d.play(prompt);
    await clock.advance(500);
    d.press('8');
    await clock.advance(3500);
    expect(await whole).toEqual({ completed: true });
    expect(await d.playAndGetDigits({ ...req, maxDigits: 2 })).toEqual({ digits: '78', end: 'max-digits' });
  });
});
