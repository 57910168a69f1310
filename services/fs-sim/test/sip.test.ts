import { fileURLToPath } from 'node:url';
import { freeUdpPort, type ManagedProcess, startProcess, udpPortBound, waitFor } from '@switchyard/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type FsSim, startFsSim } from '../src/index.ts';
import { RawEslClient } from './raw-client.ts';

const SIPP = process.env.SIPP_BIN ?? '/usr/bin/sipp';
const scenario = (name: string): string => fileURLToPath(new URL(`./sipp/${name}`, import.meta.url));

let sim: FsSim | undefined;
let client: RawEslClient | undefined;
const procs: ManagedProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop(500);
  client?.close();
  await sim?.close();
  sim = undefined;
  client = undefined;
});

async function setup(): Promise<{ s: FsSim; c: RawEslClient }> {
  sim = await startFsSim({ heartbeatMs: 0 });
  client = await RawEslClient.subscribedPlainAll(sim.eslPort);
  return { s: sim, c: client };
}

/** Body carried inside a plain event (after its own header block). */
const inner = (f: { body: string } | undefined): string => f?.body.slice(f.body.indexOf('\n\n') + 2) ?? '';
const ev = (f: { event?: Array<[string, string]> }, name: string): string | undefined => f.event?.find(([k]) => k === name)?.[1];

async function uas(name: string): Promise<{ port: number; proc: ManagedProcess }> {
  const port = await freeUdpPort();
  const proc = startProcess(SIPP, ['-sf', scenario(name), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-nostdin', '-timeout', '15s']);
  procs.push(proc);
  await waitFor(() => udpPortBound(port), { timeoutMs: 10_000, what: `SIPp bound to ${port}` });
  return { port, proc };
}

describe('SIP side', () => {
  it('SIPp UAC: INVITE, ACK, INFO DTMF, BYE complete against the simulator', async () => {
    const { s, c } = await setup();
    const port = await freeUdpPort();
    const proc = startProcess(SIPP, ['-sf', scenario('uac-dtmf.xml'), '-i', '127.0.0.1', '-p', String(port), '-s', '1000', `127.0.0.1:${s.sipPort}`, '-m', '1', '-nostdin', '-timeout', '15s']);
    procs.push(proc);
    const code = await proc.exited;
    expect(code, proc.output()).toBe(0);
    const done = await c.waitFor((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE', 5000);
    const hc = c.frames[done] as (typeof c.frames)[number];
    expect(ev(hc, 'Hangup-Cause')).toBe('NORMAL_CLEARING');
    expect(ev(hc, 'variable_sip_hangup_disposition')).toBe('recv_bye');
    expect(ev(hc, 'Caller-Destination-Number')).toBe('1000');
    expect(ev(hc, 'Caller-Caller-ID-Name')).toBe('SIPp%20UAC');
    const dtmf = c.frames.filter((f) => f.eventName === 'DTMF');
    expect(dtmf.map((f) => ev(f, 'DTMF-Digit'))).toEqual(['1', '2']);
    expect(dtmf.map((f) => ev(f, 'DTMF-Source'))).toEqual(['ENDPOINT', 'ENDPOINT']);
    expect(c.frames.filter((f) => f.eventName === 'RECV_INFO')).toHaveLength(2);
    expect(c.frames.some((f) => f.eventName === 'CHANNEL_PARK')).toBe(true);
  });

  it('OPTIONS gets 200 (dispatcher probing) and INVITE beyond max sessions gets 503', async () => {
    sim = await startFsSim({ heartbeatMs: 0, maxSessions: 0 });
    const { createSocket } = await import('node:dgram');
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString()));
    const req = (method: string): string =>
      `${method} sip:1000@127.0.0.1:${sim?.sipPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${sock.address().port};branch=z9hG4bK-${method}\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:1000@127.0.0.1>\r\nCall-ID: ${method}-1\r\nCSeq: 1 ${method}\r\nContact: <sip:probe@127.0.0.1:${sock.address().port}>\r\nContent-Length: 0\r\n\r\n`;
    sock.send(req('OPTIONS'), sim.sipPort as number, '127.0.0.1');
    sock.send(req('INVITE'), sim.sipPort as number, '127.0.0.1');
    const deadline = Date.now() + 3000;
    while (replies.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sock.close();
    expect(replies.find((r) => r.includes('CSeq: 1 OPTIONS'))?.split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    expect(replies.find((r) => r.includes('CSeq: 1 INVITE'))?.split('\r\n')[0]).toBe('SIP/2.0 503 Service Unavailable');
  });

  it('originate towards a SIPp UAS that answers; uuid_kill sends BYE', async () => {
    const { c } = await setup();
    const { port, proc } = await uas('uas-answer.xml');
    c.write(`bgapi originate {origination_caller_id_number=5551234}sofia/internal/sipp@127.0.0.1:${port} &park()\n\n`);
    const i = await c.waitFor((f) => f.eventName === 'BACKGROUND_JOB', 5000);
    const body = inner(c.frames[i]);
    const uuid = /^\+OK ([0-9a-f-]{36})\n$/.exec(body)?.[1];
    expect(uuid, body).toBeDefined();
    await c.waitFor((f) => f.eventName === 'CHANNEL_PARK', 3000);
    expect(c.frames.some((f) => f.eventName === 'CHANNEL_OUTGOING')).toBe(true);
    expect(c.frames.some((f) => f.eventName === 'CHANNEL_PROGRESS')).toBe(true);
    c.write(`api uuid_kill ${uuid}\n\n`);
    const hc = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE', 3000)];
    expect(hc && ev(hc, 'variable_sip_hangup_disposition')).toBe('send_bye');
    expect(await proc.exited, proc.output()).toBe(0);
  });

  const outcomes: Array<[string, string, string]> = [
    ['uas-busy.xml', 'USER_BUSY', '486'],
    ['uas-reject.xml', 'CALL_REJECTED', '603'],
    ['uas-notfound.xml', 'UNALLOCATED_NUMBER', '404'],
  ];
  for (const [file, cause, code] of outcomes) {
    it(`originate to a rejecting UAS (${code}) fails with ${cause}`, async () => {
      const { c } = await setup();
      const { port, proc } = await uas(file);
      c.write(`bgapi originate {originate_timeout=4}sofia/internal/x@127.0.0.1:${port} &park()\n\n`);
      const i = await c.waitFor((f) => f.eventName === 'BACKGROUND_JOB', 5000);
      expect(inner(c.frames[i])).toBe(`-ERR ${cause}\n`);
      const hc = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE', 3000)];
      expect(hc && ev(hc, 'variable_sip_term_status')).toBe(code);
      expect(hc && ev(hc, 'variable_sip_hangup_disposition')).toBe('recv_refuse');
      expect(hc && ev(hc, 'variable_proto_specific_hangup_cause')).toBe(`sip%3A${code}`);
      expect(await proc.exited, proc.output()).toBe(0);
    });
  }

  it('originate to a UAS that only rings times out with NO_ANSWER and CANCELs', async () => {
    const { c } = await setup();
    const { port, proc } = await uas('uas-noanswer.xml');
    c.write(`bgapi originate {originate_timeout=2}sofia/internal/x@127.0.0.1:${port} &park()\n\n`);
    const i = await c.waitFor((f) => f.eventName === 'BACKGROUND_JOB', 5000);
    expect(inner(c.frames[i])).toBe('-ERR NO_ANSWER\n');
    const hc = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_HANGUP_COMPLETE', 3000)];
    expect(hc && ev(hc, 'variable_sip_hangup_disposition')).toBe('send_cancel');
    expect(hc && ev(hc, 'variable_sip_invite_failure_status')).toBe('487');
    expect(await proc.exited, proc.output()).toBe(0);
  });
});
