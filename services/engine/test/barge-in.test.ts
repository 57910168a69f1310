import { describe, expect, it } from 'vitest';
import type { ChannelControl } from '../src/driver/channel-control.ts';
import { EslChannelDriver } from '../src/driver/esl-channel-driver.ts';
import { eventFromRecord } from '../src/esl/esl-event.ts';

/** Records what the driver sends; completions are fed back by the test. */
function recorder() {
  const sent: { app: string; arg: string; appUuid: string }[] = [];
  const control: ChannelControl = {
    sendExecute: async (app, arg, appUuid) => {
      sent.push({ app, arg, appUuid });
    },
    breakMedia: async () => {},
    hangup: async () => {},
  };
  return { sent, control };
}

const complete = (appUuid: string) => eventFromRecord({ 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', 'Application-UUID': appUuid });
const dtmf = (d: string) => eventFromRecord({ 'Event-Name': 'DTMF', 'DTMF-Digit': d });
const prompt = [{ id: 'p', file: 'ivr/menu.wav', durationMs: 30_000 }];
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('barge-in', () => {
  it('a key ends a bargeable prompt at once; its late completion is absorbed and timed', async () => {
    const { sent, control } = recorder();
    const timed: string[] = [];
    const d = new EslChannelDriver('c1', control, { appTimeoutMs: 5_000, onAppCompleted: (app) => timed.push(app) });
    const played = d.play(prompt, { bargeIn: true });
    await flush();
    const playback = sent.find((s) => s.app === 'playback');
    expect(sent.map((s) => s.arg)).toEqual(['playback_terminators=any', 'ivr/menu.wav']);
    expect(d.handleEvent(dtmf('5'))).toBe(true);
    // No completion yet: the key alone settles the prompt.
    expect(await played).toEqual({ completed: false, bargedInWith: '5' });
    expect(d.inFlight).toBeGreaterThan(0);
    // The switch's completion of the stopped prompt still belongs to this call.
    expect(d.handleEvent(complete(playback?.appUuid as string))).toBe(true);
    expect(timed).toContain('playback');
    const collected = await d.playAndGetDigits({ prompts: [], minDigits: 1, maxDigits: 1, noInputTimeoutMs: 1_000, interDigitTimeoutMs: 1_000 });
    expect(collected.digits).toBe('5');
  });

  it('a prompt that is not bargeable waits for its completion', async () => {
    const { sent, control } = recorder();
    const d = new EslChannelDriver('c2', control, { appTimeoutMs: 5_000 });
    let done = false;
    const played = d.play(prompt).then((r) => {
      done = true;
      return r;
    });
    await flush();
    d.handleEvent(dtmf('5'));
    await flush();
    expect(done).toBe(false);
    const playback = sent.find((s) => s.app === 'playback');
    d.handleEvent(complete(playback?.appUuid as string));
    expect(await played).toEqual({ completed: true });
  });
});
