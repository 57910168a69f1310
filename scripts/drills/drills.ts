import dgram from 'node:dgram';
import net from 'node:net';
import { asDialerDb, CampaignService } from '@switchyard/dialer';
import type { DrillHarness, DrillResult } from './drill-harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One fault drill over a running harness. */
export interface Drill {
  name: string;
  run(h: DrillHarness): Promise<DrillResult>;
}

function killAndRestart(svc: 'engine' | 'recorder'): Drill {
  return {
    name: `kill -9 ${svc}`,
    run: (h) =>
      h.underTraffic(`kill -9 ${svc}`, { calls: 30, rate: 5, faultAfterMs: 2_500, note: `${svc} SIGKILLed mid-traffic, restarted after 1 s` }, async () => {
        await h.p.services[svc].kill9();
        await sleep(1_000);
        await h.p.services[svc].restart(60_000);
      }),
  };
}

/** The dialer killed while a 20-contact campaign dials: every attempt still ends and is logged. */
const killDialer: Drill = {
  name: 'kill -9 dialer',
  async run(h) {
    const svc = new CampaignService(asDialerDb(h.tdb.db));
    const c = await svc.create(
      { name: `drill-${Date.now()}`, flowId: 'campaign-outbound', callerId: '+442071234567', gateway: 'drill', allowedPrefixes: ['+44'], maxCps: 10, maxConcurrent: 20, maxAttempts: 1 },
      'drills',
    );
    const phones = Array.from({ length: 20 }, (_, i) => `+447911${String(700_000 + i)}`);
    await h.tdb.db.insertInto('contacts').values(phones.map((p) => ({ campaign_id: c.id, phone_e164: p, data: '{}', next_attempt_at: new Date(0) }))).execute();
    await svc.start(c.id, 'drills');
    await sleep(1_000);
    await h.p.services.dialer.kill9();
    await sleep(1_000);
    await h.p.services.dialer.restart(60_000);
    const deadline = Date.now() + 90_000;
    let counts = await svc.counts(c.id);
    while ((counts.pending > 0 || counts.dialling > 0) && Date.now() < deadline) {
      await sleep(1_000);
      counts = await svc.counts(c.id);
    }
    let logged = 0;
    while (Date.now() < deadline) {
      const rows = await h.tdb.db.selectFrom('call_legs').select('leg_id').where('campaign_id', '=', c.id).where('ended_at', 'is not', null).execute();
      logged = rows.length;
      if (logged >= counts.attempts) break;
      await sleep(1_000);
    }
    const completed = counts.answered;
    const failed = counts.attempts - completed;
    const pass = counts.pending === 0 && counts.dialling === 0 && counts.attempts >= 20 && logged >= counts.attempts;
    return { name: 'kill -9 dialer', pass, attempted: counts.attempts, completed, failed, logged, note: 'campaign of 20 contacts dialled into fs1 (the engine turns the unrouted numbers away: completed = answered), dialer SIGKILLed 1 s in and restarted; logged = attempts with an ended call-log row' };
  },
};

function outage(kind: 'postgres' | 'redis'): Drill {
  return {
    name: `${kind} stopped 30 s`,
    run: (h) => {
      const proxy = kind === 'postgres' ? h.pgProxy : h.redisProxy;
      return h.underTraffic(
        `${kind} stopped 30 s`,
        { calls: 60, rate: 1.5, faultAfterMs: 3_000, note: `simulated: the platform reaches ${kind} through a TCP proxy, cut for 30 s (connections reset, new ones refused)` },
        async () => {
          await proxy.cut();
          await sleep(30_000);
          await proxy.restore();
        },
      );
    },
  };
}

const eslDropped: Drill = {
  name: 'ESL connections dropped',
  run: (h) =>
    h.underTraffic('ESL connections dropped', { calls: 30, rate: 5, faultAfterMs: 2_500, note: 'every engine↔node ESL connection reset twice, 2 s apart (TCP proxies)' }, async () => {
      for (const p of h.eslProxies.values()) p.dropConnections();
      await sleep(2_000);
      for (const p of h.eslProxies.values()) p.dropConnections();
    }),
};

/** A flood of INVITEs from 127.0.0.2 (not allow-listed) during legitimate traffic. */
const floodUnlisted: Drill = {
  name: 'SIP flood 127.0.0.2',
  async run(h) {
    const since = new Date();
    const legit = h.traffic(20, 4);
    const flood = h.traffic(400, 200, { sourceIp: '127.0.0.2' });
    const [res, fl] = await Promise.all([legit, flood]);
    const logged = await h.logged(res.caller, since, 20);
    const floodLegs = await h.logged(fl.caller, since, 1, 2_000);
    const pass = res.successful === 20 && logged === 20 && floodLegs === 0;
    return { name: 'SIP flood 127.0.0.2', pass, attempted: 20, completed: res.successful, failed: res.failed, logged, note: `legit traffic from 127.0.0.1; flood of 400 INVITEs at 200/s from 127.0.0.2: ${fl.successful} answered, ${floodLegs} reached a node` };
  },
};

/** A burst from an allow-listed source: every call is a real call and must be logged. */
const floodAllowed: Drill = {
  name: 'SIP flood 127.0.0.1',
  run: (h) => h.underTraffic('SIP flood 127.0.0.1', { calls: 150, rate: 30, faultAfterMs: 0, note: '150 calls at 30/s from the allow-listed source' }, async () => {}),
};

const MALFORMED_SIP = [
  'INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: broken\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK1\r\nContent-Length: 99999\r\nCSeq: x\r\n\r\nv=0',
  `OPTIONS sip:${'a'.repeat(4000)}@127.0.0.1 SIP/2.0\r\n\r\n`,
  '\u0000\u0001\u0002\u00ff'.repeat(100),
];

/** Broken SIP to Kamailio and to each node directly; all must still be up and serve calls. */
const malformedSip: Drill = {
  name: 'malformed SIP',
  async run(h) {
    const sock = dgram.createSocket('udp4');
    const targets = [Number(h.edge.split(':')[1]), ...h.p.opts.ports.nodes.map((n) => n.sip)];
    for (let i = 0; i < 50; i++) {
      for (const port of targets) for (const m of MALFORMED_SIP) sock.send(Buffer.from(m, 'latin1'), port, '127.0.0.1');
      await sleep(10);
    }
    sock.close();
    await sleep(500);
    const r = await h.underTraffic('malformed SIP', { calls: 10, rate: 5, faultAfterMs: 0, note: `${50 * MALFORMED_SIP.length} broken datagrams to Kamailio and to each node, then traffic` }, async () => {});
    return { ...r, pass: r.pass && h.p.kamailio.pid > 0 && (await h.healthy()) };
  },
};

/** Broken ESL frames into the engine's outbound ESL server; the engine must carry on. */
const malformedEsl: Drill = {
  name: 'malformed ESL',
  async run(h) {
    const port = h.p.opts.ports.engineOutbound;
    const frames = ['Content-Length: abc\n\n', 'Event-Name: CHANNEL_DATA\nContent-Length: 999999999\n\nxx', '\n\n\n\n', 'Reply-Text: +OK\n'.repeat(5000), '\u0000\u00ff'.repeat(1000)];
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.write(frames[i % frames.length] as string);
          setTimeout(() => s.destroy(), 50);
        });
        s.on('error', () => resolve());
        s.on('close', () => resolve());
      });
    }
    const r = await h.underTraffic('malformed ESL', { calls: 10, rate: 5, faultAfterMs: 0, note: '20 connections of broken frames to the engine\'s outbound ESL port, then traffic' }, async () => {});
    return { ...r, pass: r.pass && h.p.services.engine.running };
  },
};

/** Every drill, in the order `npm run drills` runs them. */
export const drills: Drill[] = [
  killAndRestart('engine'),
  killAndRestart('recorder'),
  killDialer,
  outage('postgres'),
  outage('redis'),
  eslDropped,
  floodUnlisted,
  floodAllowed,
  malformedSip,
  malformedEsl,
];
