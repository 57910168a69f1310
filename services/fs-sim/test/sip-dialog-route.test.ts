import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { type FsSim, startFsSim } from '../src/index.ts';
import { inDialogTarget } from '../src/sip/dialog-route.ts';
import { RawEslClient } from './raw-client.ts';

// A raw UDP socket plays the record-routing proxy / far end so the test sees exactly what
// fs-sim puts on the wire for in-dialog requests.

let sim: FsSim | undefined;
let client: RawEslClient | undefined;
const socks: Socket[] = [];
afterEach(async () => {
  for (const s of socks.splice(0)) s.close();
  client?.close();
  await sim?.close();
  sim = undefined;
  client = undefined;
});

interface Peer {
  sock: Socket;
  port: number;
  got: string[];
  next: (pred: (m: string) => boolean, ms?: number) => Promise<string>;
}

async function peer(): Promise<Peer> {
  const sock = createSocket('udp4');
  socks.push(sock);
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const got: string[] = [];
  sock.on('message', (m) => got.push(m.toString()));
  const next = async (pred: (m: string) => boolean, ms = 3000): Promise<string> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = got.find(pred);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no matching SIP message; got:\n${got.map((g) => g.split('\r\n')[0]).join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { sock, port: sock.address().port, got, next };
}

async function setup(): Promise<{ s: FsSim; c: RawEslClient }> {
  sim = await startFsSim({ heartbeatMs: 0 });
  client = await RawEslClient.subscribedPlainAll(sim.eslPort);
  return { s: sim, c: client };
}

const headerValues = (m: string, name: string): string[] =>
  m
    .split('\r\n')
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.slice(l.indexOf(':') + 1).trim());
const ev = (f: { event?: Array<[string, string]> }, name: string): string | undefined => f.event?.find(([k]) => k === name)?.[1];

describe('SIP dialogs behind a record-routing proxy', () => {
  it('UAS echoes Record-Route in 200 and sends its BYE along the route set to the caller Contact', async () => {
    const { s, c } = await setup();
    const proxy = await peer();
    const rr1 = `<sip:127.0.0.1:${proxy.port};lr;ftag=abc>`;
    const rr2 = '<sip:127.0.0.2:5999;lr>';
    proxy.sock.send(
      [
        `INVITE sip:1000@127.0.0.1:${s.sipPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${proxy.port};branch=z9hG4bK-p1`,
        'Via: SIP/2.0/UDP 127.0.0.2:5999;branch=z9hG4bK-c1',
        `Record-Route: ${rr1}, ${rr2}`,
        'From: <sip:5551234@127.0.0.2>;tag=caller1',
        'To: <sip:1000@127.0.0.1>',
        'Call-ID: rr-uas-1',
        'CSeq: 1 INVITE',
        'Contact: <sip:5551234@127.0.0.2:5999;transport=udp>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      s.sipPort as number,
      '127.0.0.1',
    );
    const park = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_PARK', 3000)];
    const uuid = park && ev(park, 'Unique-ID');
    c.write(`api uuid_answer ${uuid}\n\n`);
    const ok = await proxy.next((m) => m.startsWith('SIP/2.0 200') && m.includes('CSeq: 1 INVITE'));
    expect(headerValues(ok, 'Record-Route')).toEqual([rr1, rr2]);
    c.write(`api uuid_kill ${uuid}\n\n`);
    const bye = await proxy.next((m) => m.startsWith('BYE '));
    expect(bye.split('\r\n')[0]).toBe('BYE sip:5551234@127.0.0.2:5999;transport=udp SIP/2.0');
    expect(headerValues(bye, 'Route')).toEqual([rr1, rr2]);
    expect(headerValues(bye, 'To')).toEqual(['<sip:5551234@127.0.0.2>;tag=caller1']);
  });

  it('UAC takes the 2xx Record-Route reversed: ACK and BYE carry it, Request-URI is the 2xx Contact', async () => {
    const { c } = await setup();
    const far = await peer();
    const near = `<sip:127.0.0.1:${far.port};lr>`;
    const distant = '<sip:127.0.0.2:5998;lr>';
    c.write(`bgapi originate {origination_caller_id_number=5551234}sofia/internal/ivr@127.0.0.1:${far.port} &park()\n\n`);
    const inv = await far.next((m) => m.startsWith('INVITE '));
    const keep = (n: string): string => `${n}: ${headerValues(inv, n)[0]}`;
    far.sock.send(
      [
        'SIP/2.0 200 OK',
        ...headerValues(inv, 'Via').map((v) => `Via: ${v}`),
        `Record-Route: ${distant}`,
        `Record-Route: ${near}`,
        keep('From'),
        `${keep('To')};tag=far1`,
        keep('Call-ID'),
        keep('CSeq'),
        'Contact: <sip:ivr@127.0.0.2:5998>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      Number(/Via: SIP\/2\.0\/UDP [^:]+:(\d+)/.exec(inv)?.[1]),
      '127.0.0.1',
    );
    const ack = await far.next((m) => m.startsWith('ACK '));
    expect(ack.split('\r\n')[0]).toBe('ACK sip:ivr@127.0.0.2:5998 SIP/2.0');
    expect(headerValues(ack, 'Route')).toEqual([near, distant]);
    const park = c.frames[await c.waitFor((f) => f.eventName === 'CHANNEL_PARK', 3000)];
    c.write(`api uuid_kill ${park && ev(park, 'Unique-ID')}\n\n`);
    const bye = await far.next((m) => m.startsWith('BYE '));
    expect(bye.split('\r\n')[0]).toBe('BYE sip:ivr@127.0.0.2:5998 SIP/2.0');
    expect(headerValues(bye, 'Route')).toEqual([near, distant]);
    expect(headerValues(bye, 'To')[0]).toMatch(/;tag=far1$/);
  });

  it('strict routing (no ;lr): first route is the Request-URI, remote target goes last in Route', () => {
    const t = inDialogTarget({ routeSet: ['<sip:127.0.0.3:5070>', '<sip:127.0.0.4;lr>'], remoteTarget: 'sip:a@127.0.0.5:5062' }, { host: '127.0.0.9', port: 1 });
    expect(t).toEqual({ requestUri: 'sip:127.0.0.3:5070', routes: ['<sip:127.0.0.4;lr>', '<sip:a@127.0.0.5:5062>'], peer: { host: '127.0.0.3', port: 5070 } });
    const none = inDialogTarget({ routeSet: [], remoteTarget: 'sip:a@127.0.0.5:5062' }, { host: '127.0.0.9', port: 1 });
    expect(none).toEqual({ requestUri: 'sip:a@127.0.0.5:5062', routes: [], peer: { host: '127.0.0.9', port: 1 } });
  });
});
