import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli-args.ts';
import { type FsSim, parseCallerScript, startFsSim } from '../src/index.ts';
import { RawEslClient, type SeenFrame } from './raw-client.ts';

let sim: FsSim | undefined;
let client: RawEslClient | undefined;
afterEach(async () => {
  client?.close();
  await sim?.close();
  sim = undefined;
  client = undefined;
});

const ev = (f: SeenFrame | undefined, name: string): string | undefined => f?.event?.find(([k]) => k === name)?.[1];

async function subscribed(opts: Parameters<typeof startFsSim>[0] = {}): Promise<{ s: FsSim; c: RawEslClient }> {
  sim = await startFsSim({ sipPort: false, heartbeatMs: 0, mediaScale: 4, ...opts });
  client = await RawEslClient.subscribedPlainAll(sim.eslPort);
  return { s: sim, c: client };
}

describe('load mode', () => {
  it('keeps N synthetic calls up, each following its caller script', async () => {
    const { s, c } = await subscribed();
    const run = s.startLoad({ calls: 20, destination: '1000', script: 'wait 100ms; press 12; wait 100ms; hangup', staggerMs: 50 });
    await c.until(() => c.frames.filter((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE').length >= 40, 10000);
    run.stop();
    const st = run.stats();
    expect(st.started).toBeGreaterThanOrEqual(40);
    expect(st.refused).toBe(0);
    expect(st.active).toBeLessThanOrEqual(20);
    const digits = c.frames.filter((f) => f.eventName === 'DTMF').map((f) => ev(f, 'DTMF-Digit'));
    expect(digits.filter((d) => d === '1').length).toBeGreaterThanOrEqual(40);
    const hc = c.frames.find((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE');
    expect(ev(hc, 'variable_sip_hangup_disposition')).toBe('recv_bye');
  });

  it('starts rate-limited callers evenly, not a whole tick of them at once', async () => {
    const { s } = await subscribed();
    const created: number[] = [];
    s.core.bus.add({ wants: (name) => name === 'CHANNEL_CREATE', deliver: () => created.push(performance.now()) });
    const run = s.startLoad({ calls: 40, destination: '1000', script: 'wait 10s', ratePerSec: 400 });
    for (const until = Date.now() + 10_000; created.length < 40 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    run.stop();
    expect(created.length).toBe(40);
    // One start every 2.5 ms: the 40 take ~100 ms, and no 2 ms holds more than a few (a timer
    // firing late on a busy host bunches some). A tick's worth at once would put all 40 in one ms.
    const most = Math.max(...created.map((t) => created.filter((u) => u >= t && u < t + 2).length));
    expect(most).toBeLessThanOrEqual(15);
    expect(created[39]! - created[0]!).toBeGreaterThan(60);
    expect(run.stats().started).toBe(40);
  });

  it('refuses calls beyond max sessions', async () => {
    const { s } = await subscribed({ maxSessions: 5 });
    const run = s.startLoad({ calls: 8, destination: '1000', script: 'wait 10s', staggerMs: 10 });
    await new Promise((r) => setTimeout(r, 100));
    expect(run.stats().active).toBe(5);
    expect(run.stats().refused).toBeGreaterThan(0);
    run.stop();
  });

  it('rejects a bad caller script or CLI argument with a clear error', () => {
    expect(() => parseCallerScript('wait soon')).toThrow(/bad wait/);
    expect(() => parseCallerScript('dance')).toThrow(/unknown step/);
    expect(parseCallerScript('wait 1s; press 1#; hangup')).toEqual([{ kind: 'wait', ms: 1000 }, { kind: 'press', digits: '1#' }, { kind: 'hangup' }]);
    expect(() => parseArgs(['--esl', 'nope'])).toThrow(/host:port/);
    expect(parseArgs(['--esl', '127.0.0.1:9000', '--no-sip', '--load', '5']).opts.eslPort).toBe(9000);
  });
});

describe('applications', () => {
  it('uuid_transfer moves a parked call to 3000: UNPARK, re-routing, tone, hangup', async () => {
    const { s, c } = await subscribed();
    const uuid = s.placeCall({ destination: '1000' }) as string;
    await c.waitFor((f) => f.eventName === 'CHANNEL_PARK');
    c.write(`api uuid_transfer ${uuid} 3000 XML public\n\n`);
    const hc = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE', 5000)];
    expect(c.frames.some((f) => f.contentType === 'api/response' && f.body === '+OK\n')).toBe(true);
    const seq = c.frames.filter((f) => ['CHANNEL_UNPARK', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_STATE', 'CHANNEL_EXECUTE'].includes(f.eventName ?? '')).map((f) => `${f.eventName}:${ev(f, 'Application') ?? ev(f, 'Channel-State')}`);
    const from = seq.indexOf('CHANNEL_UNPARK:CS_EXECUTE');
    expect(seq.slice(from, from + 5)).toEqual(['CHANNEL_UNPARK:CS_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE:park', 'CHANNEL_STATE:CS_ROUTING', 'CHANNEL_STATE:CS_EXECUTE', 'CHANNEL_EXECUTE:answer']);
    expect(ev(hc, 'Caller-Destination-Number')).toBe('3000');
    expect(decodeURIComponent(ev(hc, 'variable_transfer_history') ?? '')).toMatch(/^\d+:[0-9a-f-]{36}:bl_xfer:3000\/public\/XML$/);
    expect(ev(hc, 'variable_last_app')).toBe('hangup');
  });

  it('bridge to a sim far end: CHANNEL_BRIDGE on the a-leg, UNBRIDGE and DIALSTATUS when b hangs up', async () => {
    const { s, c } = await subscribed();
    const a = s.placeCall({ destination: '1000' }) as string;
    await c.waitFor((f) => f.eventName === 'CHANNEL_PARK');
    c.write(`sendmsg ${a}\ncall-command: execute\nexecute-app-name: bridge\nexecute-app-arg: sim/answer/50\n\n`);
    const br = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_BRIDGE', 3000)];
    expect(ev(br, 'Bridge-A-Unique-ID')).toBe(a);
    const b = ev(br, 'Bridge-B-Unique-ID') as string;
    expect(ev(br, 'Other-Type')).toBe('originatee');
    c.write(`api uuid_kill ${b}\n\n`);
    const done = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_EXECUTE_COMPLETE' && ev(f, 'Application') === 'bridge', 3000)];
    expect(ev(done, 'variable_DIALSTATUS')).toBe('SUCCESS');
    expect(ev(done, 'variable_bridge_hangup_cause')).toBe('NORMAL_CLEARING');
    expect(c.frames.some((f) => f.eventName === 'CHANNEL_UNBRIDGE' && ev(f, 'Unique-ID') === a)).toBe(true);
    expect(s.channels()).toContain(a); // back in park, still up
  });

  it('bridge to a busy far end completes with DIALSTATUS=BUSY; unknown apps hang up', async () => {
    const { s, c } = await subscribed();
    const a = s.placeCall({ destination: '1000' }) as string;
    await c.waitFor((f) => f.eventName === 'CHANNEL_PARK');
    c.write(`sendmsg ${a}\ncall-command: execute\nexecute-app-name: bridge\nexecute-app-arg: sim/busy\n\n`);
    const done = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_EXECUTE_COMPLETE' && ev(f, 'Application') === 'bridge', 3000)];
    expect(ev(done, 'variable_DIALSTATUS')).toBe('BUSY');
    c.write(`sendmsg ${a}\ncall-command: execute\nexecute-app-name: no_such_app\n\n`);
    const hc = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE' && ev(f, 'Unique-ID') === a, 3000)];
    expect(ev(hc, 'Hangup-Cause')).toBe('DESTINATION_OUT_OF_ORDER');
    expect(c.frames.some((f) => f.eventName === 'CHANNEL_EXECUTE_COMPLETE' && ev(f, 'Application') === 'no_such_app')).toBe(false);
  });

  it('read: timeout keeps the digits; terminator ends with success; loops repeats', async () => {
    const { s, c } = await subscribed();
    const a = s.placeCall({ destination: '1000' }) as string;
    await c.waitFor((f) => f.eventName === 'CHANNEL_PARK');
    c.write(`sendmsg ${a}\ncall-command: execute\nexecute-app-name: read\nexecute-app-arg: 1 4 silence_stream://40 got 800 #\nevent-lock: true\n\n`);
    setTimeout(() => s.pressDigits(a, '12'), 50);
    const r1 = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_EXECUTE_COMPLETE' && ev(f, 'Application') === 'read', 5000)];
    expect(ev(r1, 'variable_got')).toBe('12');
    expect(ev(r1, 'variable_read_result')).toBe('timeout');
    const from = c.frames.length;
    c.write(`sendmsg ${a}\ncall-command: execute\nexecute-app-name: read\nexecute-app-arg: 1 4 silence_stream://40 got 4000 #\n\n`);
    setTimeout(() => s.pressDigits(a, '7#'), 50);
    const r2 = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_EXECUTE_COMPLETE' && ev(f, 'Application') === 'read', 5000, from)];
    expect(ev(r2, 'variable_got')).toBe('7');
    expect(ev(r2, 'variable_read_result')).toBe('success');
    const from2 = c.frames.length;
    c.write(`sendmsg ${a}\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: silence_stream://40\nloops: 3\n\n`);
    await c.until(() => c.frames.slice(from2).filter((f) => f.eventName === 'CHANNEL_EXECUTE_COMPLETE').length >= 3, 5000);
    const loops = c.frames.slice(from2).filter((f) => f.eventName === 'CHANNEL_EXECUTE_COMPLETE').map((f) => ev(f, 'variable_current_loop'));
    expect(loops).toEqual(['1', '2', '3']);
  });
});
