import { createRequire } from 'node:module';
import { FreeSwitchClient } from 'esl-lite';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type FsSim, startFsSim } from '../src/index.ts';

const require = createRequire(import.meta.url);
// modesl is CommonJS without types
// biome-ignore lint/suspicious/noExplicitAny: untyped CommonJS library
const esl: any = require('modesl');

const PROMPT = '/usr/share/freeswitch/sounds/en/us/esl-test-tone-1s.wav';
let sim: FsSim | undefined;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await sim?.close();
  sim = undefined;
});

/** Resolve with the first value `register` hands to its callback. */
function once<T>(register: (cb: (v: T) => void) => void, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    register((v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
}

describe('modesl drives fs-sim', () => {
  it('inbound: api, bgapi, events, execute on a parked call, uuid_kill', async () => {
    sim = await startFsSim({ sipPort: false, heartbeatMs: 0, mediaScale: 4 });
    const s = sim;
    const conn = await once<unknown>((cb) => {
      const c = new esl.Connection('127.0.0.1', s.eslPort, 'ClueCon', () => cb(c));
    });
    // biome-ignore lint/suspicious/noExplicitAny: modesl connection
    const c = conn as any;
    cleanups.push(() => c.disconnect());
    const status = await once<{ getBody(): string }>((cb) => c.api('status', cb));
    expect(status.getBody()).toMatch(/FreeSWITCH \(Version 1\.10\.12-release {2}64bit\) is ready/);
    const job = await once<{ getBody(): string; getHeader(n: string): string }>((cb) => c.bgapi('version', cb));
    expect(job.getBody()).toBe('FreeSWITCH Version 1.10.12-release~64bit ( 64bit)\n');
    await once((cb) => c.events('json', 'ALL', cb));
    const parked = once<{ getHeader(n: string): string }>((cb) => c.once('esl::event::CHANNEL_PARK::*', cb));
    const uuid = s.placeCall({ destination: '1000', callerIdNumber: '5551000' }) as string;
    expect((await parked).getHeader('Unique-ID')).toBe(uuid);
    const done = await once<{ getHeader(n: string): string }>((cb) => c.execute('playback', PROMPT, uuid, cb));
    expect(done.getHeader('Event-Name')).toBe('CHANNEL_EXECUTE_COMPLETE');
    expect(done.getHeader('Application-Response')).toBe('FILE PLAYED');
    const hangup = once<{ getHeader(n: string): string }>((cb) => c.once('esl::event::CHANNEL_HANGUP_COMPLETE::*', cb));
    const kill = await once<{ getBody(): string }>((cb) => c.api(`uuid_kill ${uuid}`, cb));
    expect(kill.getBody()).toBe('+OK\n');
    const hc = await hangup;
    expect(hc.getHeader('Hangup-Cause')).toBe('NORMAL_CLEARING');
    expect(hc.getHeader('variable_rtp_audio_in_mos')).toBe('4.50');
  });

  it('outbound: modesl Server answers the socket app, executes, sees the hangup', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: modesl server
    const server: any = await once((cb) => {
      const srv = new esl.Server({ port: 0, host: '127.0.0.1', myevents: true }, () => cb(srv));
    });
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = server.server.address().port as number;
    sim = await startFsSim({ sipPort: false, heartbeatMs: 0, mediaScale: 4, socketAddress: `127.0.0.1:${port}` });
    // biome-ignore lint/suspicious/noExplicitAny: modesl connection
    const ready = once<any>((cb) => server.on('connection::ready', (conn: unknown) => cb(conn)));
    const uuid = sim.placeCall({ destination: '2000', callerIdNumber: '5552000', quality: { mos: 2.1, packetLossPercent: 8 } }) as string;
    const conn = await ready;
    expect(conn.getInfo().getHeader('Unique-ID')).toBe(uuid);
    expect(conn.getInfo().getHeader('Caller-Destination-Number')).toBe('2000');
    const answered = await once<{ getHeader(n: string): string }>((cb) => conn.execute('answer', '', cb));
    expect(answered.getHeader('Application')).toBe('answer');
    const played = await once<{ getHeader(n: string): string }>((cb) => conn.execute('playback', 'tone_stream://%(200,0,440)', cb));
    expect(played.getHeader('Application-Response')).toBe('FILE PLAYED');
    const hc = once<{ getHeader(n: string): string }>((cb) => conn.once('esl::event::CHANNEL_HANGUP_COMPLETE::*', cb));
    const ended = once<unknown>((cb) => conn.once('esl::end', cb));
    sim.hangupCall(uuid);
    const ev = await hc;
    expect(ev.getHeader('variable_rtp_audio_in_mos')).toBe('2.10');
    expect(ev.getHeader('variable_sip_hangup_disposition')).toBe('recv_bye');
    await ended;
  });
});

describe('esl-lite drives fs-sim', () => {
  it('inbound: events, command_uuid on a parked call, bgapi uuid_kill', async () => {
    sim = await startFsSim({ sipPort: false, heartbeatMs: 0, mediaScale: 4 });
    const client = new FreeSwitchClient({ port: sim.eslPort, password: 'ClueCon', logger: pino({ level: 'silent' }) });
    cleanups.push(() => client.end());
    const parked = once<string>((cb) => client.on('CHANNEL_PARK', (msg) => cb(msg.body.uniqueID ?? '')), 8000);
    // esl-lite subscribes lazily: give it a moment to send `event json CHANNEL_PARK`
    await new Promise((r) => setTimeout(r, 300));
    const uuid = sim.placeCall({ destination: '1000', callerIdNumber: '5553000' }) as string;
    expect(await parked).toBe(uuid);
    const res = await client.command_uuid(uuid, 'playback', PROMPT, 5000);
    expect(res instanceof Error).toBe(false);
    if (!(res instanceof Error)) expect(res.body.data['Application-Response']).toBe('FILE PLAYED');
    const digits = client.command_uuid(uuid, 'play_and_get_digits', '1 3 1 3000 # silence_stream://100 silence_stream://100 pin \\d+', 8000);
    setTimeout(() => sim?.pressDigits(uuid, '42#'), 200);
    const pd = await digits;
    expect(pd instanceof Error).toBe(false);
    if (!(pd instanceof Error)) {
      expect(pd.body.data.variable_pin).toBe('42');
      expect(pd.body.data.variable_read_result).toBe('success');
    }
    const kill = await client.bgapi(`uuid_kill ${uuid} USER_BUSY`, 5000);
    expect(kill instanceof Error).toBe(false);
    if (!(kill instanceof Error)) expect(kill.body.data._body).toBe('+OK\n');
    expect(sim.channels()).not.toContain(uuid);
  });
});
