import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EslConnection, type EslEvent, EslFrameParser, type EslFrame, createOutboundServer, type DisconnectNotice, type OutboundConnection } from '../src/index.ts';
import { listCaptures, loadCapture, type Capture } from '../src/testing/index.ts';
import { dialScriptedFs, expectedMessages, startScriptedFs } from './helpers/scripted-fs.ts';

/** Independent extraction of a header from a recorded event (regex / JSON.parse, not our codec). */
function recordedEventField(bytes: Buffer, name: string): string | undefined {
  const bodyAt = bytes.indexOf('\n\n') + 2;
  const body = bytes.toString('utf8', bodyAt);
  if (recordIsJson(bytes)) {
    const v = (JSON.parse(body) as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  }
  const m = new RegExp(`^${name}: (.*)$`, 'm').exec(body.slice(0, body.indexOf('\n\n')));
  return m ? decodeURIComponent(m[1]!) : undefined;
}
function recordIsJson(bytes: Buffer): boolean {
  return bytes.toString('latin1', 0, 80).includes('text/event-json');
}
function recordedEventBody(bytes: Buffer): string {
  const body = bytes.toString('utf8', bytes.indexOf('\n\n') + 2);
  if (recordIsJson(bytes)) return ((JSON.parse(body) as Record<string, unknown>)['_body'] as string | undefined) ?? '';
  const at = body.indexOf('\n\n');
  return at < 0 ? '' : body.slice(at + 2);
}

function clientCommands(cap: Capture): Buffer[] {
  return cap.records.filter((r) => r.dir === 'C>S' || r.dir === 'APP>FS').map((r) => r.bytes);
}

interface Observed {
  replies: EslFrame[];
  events: EslEvent[];
  notices: DisconnectNotice[];
  warnings: Error[];
}

function observe(conn: EslConnection | OutboundConnection, sink: Observed): void {
  conn.on('event', (e) => sink.events.push(e));
  conn.on('warning', (e) => sink.warnings.push(e));
  if (conn instanceof EslConnection) conn.on('disconnect-notice', (n) => sink.notices.push(n));
  else {
    conn.on('disconnect-notice', (n) => sink.notices.push(n));
    conn.on('linger', (n) => sink.notices.push(n));
  }
}

function checkAgainstCapture(cap: Capture, seen: Observed, skipReplies = 0): void {
  const exp = expectedMessages(cap);
  expect(seen.replies.map((f) => Buffer.from(f.wireBytes()).toString('utf8'))).toEqual(exp.replies.slice(skipReplies).map((b) => b.toString('utf8')));
  expect(seen.events.length).toBe(exp.events.length);
  seen.events.forEach((e, i) => {
    const rec = exp.events[i]!;
    expect(e.frame.wireBytes().equals(rec)).toBe(true);
    expect(e.name).toBe(recordedEventField(rec, 'Event-Name'));
    expect(e.uniqueId).toBe(recordedEventField(rec, 'Unique-ID'));
    expect(e.applicationUuid).toBe(recordedEventField(rec, 'Application-UUID'));
    expect(e.jobUuid).toBe(recordedEventField(rec, 'Job-UUID'));
    expect(e.body).toBe(recordedEventBody(rec));
  });
  expect(seen.notices.map((n) => n.frame.wireBytes().toString('utf8'))).toEqual(exp.notices.map((b) => b.toString('utf8')));
}

describe('replaying every capture through a real loopback socket', () => {
  for (const file of listCaptures().filter((f) => f.startsWith('inbound-'))) {
    it(`${file}: pipelined replies, events and disconnect match the capture`, async () => {
      const cap = loadCapture(file);
      const fs = await startScriptedFs([cap], file.length);
      try {
        const socket = connect({ host: '127.0.0.1', port: fs.port });
        await once(socket, 'connect');
        const conn = new EslConnection(socket);
        const seen: Observed = { replies: [], events: [], notices: [], warnings: [] };
        observe(conn, seen);
        const closed = once(conn, 'close');
        // Every command is written at once: the replies must still come back to the right caller.
        const replies = clientCommands(cap).map((bytes) => conn.sendEncoded(bytes, { timeoutMs: 5000 }));
        seen.replies = await Promise.all(replies);
        await closed;
        checkAgainstCapture(cap, seen);
        expect(seen.warnings).toEqual([]);
        expect(conn.open).toBe(false);
      } finally {
        await fs.close();
      }
    });
  }

  for (const file of listCaptures().filter((f) => f.startsWith('outbound-'))) {
    it(`${file}: outbound server handshake, channel data, replies, events, linger/disconnect`, async () => {
      const cap = loadCapture(file);
      const seen: Observed = { replies: [], events: [], notices: [], warnings: [] };
      let session: OutboundConnection | undefined;
      let sessionDone!: Promise<void>;
      const server = await createOutboundServer({
        port: 0,
        onConnection: (c) => {
          session = c;
          observe(c, seen);
          // The server already sent `connect`; replay the app's remaining writes, pipelined.
          const rest = clientCommands(cap).slice(1);
          sessionDone = Promise.all(rest.map((b) => c.conn.sendEncoded(b, { timeoutMs: 10_000 }))).then(async (r) => {
            seen.replies = r;
            await c.closed;
          });
        },
        onWarning: (e) => seen.warnings.push(e),
      });
      try {
        await dialScriptedFs(server.port, cap, file.length);
        await sessionDone;
      } finally {
        await server.close();
      }
      expect(seen.warnings).toEqual([]);
      const s = session!;
      checkAgainstCapture(cap, seen, 1);
      const connectRec = expectedMessages(cap).replies[0]!;
      expect(s.uniqueId).toBe(/^Unique-ID: (.*)$/m.exec(connectRec.toString('utf8'))?.[1]);
      expect(s.socketMode).toBe(file.includes('sync') && !file.includes('async') ? 'static' : 'async');
      expect(s.control).toBe('full');
      expect(s.channelData()['Event-Name']).toBe('CHANNEL_DATA');
      const lingerNotices = seen.notices.filter((n) => n.linger);
      expect(lingerNotices.length).toBe(file.includes('nolinger') ? 0 : 1);
      if (file.includes('linger5')) expect(lingerNotices[0]!.lingerTime).toBe(5);
      else if (lingerNotices.length) expect(lingerNotices[0]!.lingerTime).toBe(-1);
      expect(s.open).toBe(false);
    });
  }
});

describe('capture-derived details', () => {
  it('decodes the bgapi BACKGROUND_JOB body and the api bodies with or without trailing newline', () => {
    const cap = loadCapture('inbound-plain-api.txt');
    const p = new EslFrameParser();
    const frames: EslFrame[] = [];
    for (const r of cap.records) if (r.dir === 'S>C') p.push(r.bytes, (f) => frames.push(f));
    const api = frames.filter((f) => f.contentType === 'api/response').map((f) => f.bodyText());
    expect(api).toContain('vm');
    expect(api.some((b) => b.startsWith('UP ') && b.endsWith('\n'))).toBe(true);
  });
});
