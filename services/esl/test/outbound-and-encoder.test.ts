import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createOutboundServer, EslChannelHangupError, EslEncodeError, type EslEvent, EslFrameParser, encodeCommand, encodeExecute, type OutboundConnection } from '../src/index.ts';
import { loadCapture } from '../src/testing/index.ts';
import { dialScriptedFs } from './helpers/scripted-fs.ts';

describe('outbound connection API over a replayed capture', () => {
  it('async + linger forever: myevents, linger, execute, linger notice, exit', async () => {
    const cap = loadCapture('outbound-async-plain-linger.txt');
    const seen: { events: EslEvent[]; linger: number[]; closed: boolean } = { events: [], linger: [], closed: false };
    let outcome!: Promise<unknown[]>;
    let conn: OutboundConnection | undefined;
    const server = await createOutboundServer({
      port: 0,
      onConnection: (c) => {
        conn = c;
        c.on('event', (e) => seen.events.push(e));
        c.on('close', () => (seen.closed = true));
        outcome = (async () => {
          const r = [await c.myevents(), await c.linger()];
          const lingered = new Promise<number>((res) => c.once('linger', (n) => res(n.lingerTime ?? 0)));
          // The capture's FreeSWITCH chose its own Application-UUIDs, so ours never complete:
          // the channel's hangup must end each wait.
          const apps = await Promise.allSettled([c.execute('answer'), c.execute('playback', 'x.wav'), c.execute('play_and_get_digits', '1 3 1 6000 # x y pagd_digits \\d+ 2000')]);
          seen.linger.push(await lingered);
          await c.exit();
          return [...r, ...apps];
        })();
      },
    });
    try {
      const script = await dialScriptedFs(server.port, cap);
      const r = await outcome;
      expect(r[0]).toBe('+OK Events Enabled');
      expect(r[1]).toBe('+OK will linger');
      for (const a of r.slice(2) as PromiseSettledResult<unknown>[]) {
        expect(a.status).toBe('rejected');
        expect((a as PromiseRejectedResult).reason).toBeInstanceOf(EslChannelHangupError);
      }
      expect(seen.linger).toEqual([-1]);
      expect(seen.closed).toBe(true);
      expect(conn!.channel('Caller-Destination-Number')).toBe('2000');
      expect(conn!.socketMode).toBe('async');
      expect(seen.events.map((e) => e.name)).toContain('CHANNEL_HANGUP_COMPLETE');
      expect(script.commands.slice(0, 3)).toEqual(['connect', 'myevents', 'linger']);
      expect(script.commands.at(-1)).toBe('exit');
    } finally {
      await server.close();
    }
  });

  it('drops a peer that never answers connect within the deadline', async () => {
    const warnings: Error[] = [];
    let sessions = 0;
    const server = await createOutboundServer({ port: 0, connectTimeoutMs: 50, onConnection: () => void sessions++, onWarning: (e) => warnings.push(e) });
    try {
      const s = connect({ host: '127.0.0.1', port: server.port });
      const got: Buffer[] = [];
      s.on('data', (b: Buffer) => got.push(b));
      await once(s, 'close');
      expect(Buffer.concat(got).toString()).toBe('connect\n\n');
      expect(sessions).toBe(0);
      expect(warnings.some((w) => /timeout/.test(w.message))).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('command encoder', () => {
  const parse = (b: Buffer) => {
    const out: { line: string; headers: Record<string, string>; body: string }[] = [];
    new EslFrameParser().push(b, (f) => out.push({ line: f.commandLine(), headers: f.commandHeaders(), body: f.bodyText() }));
    return out;
  };

  it('encodeExecute gives the bytes of the generic encoder, and refuses what it refuses', () => {
    // The header-list form encodeExecute used to build, through encodeCommand.
    const reference = (o: Parameters<typeof encodeExecute>[0]): Buffer => {
      const arg = o.arg ?? '';
      const useBody = arg.length > 512 || arg.includes('\n') || arg.includes('\r');
      const h: [string, string][] = [
        ['call-command', 'execute'],
        ['execute-app-name', o.app],
      ];
      if (arg && !useBody) h.push(['execute-app-arg', arg]);
      if (o.eventUuid) h.push(['Event-UUID', o.eventUuid]);
      if (o.eventLock ?? true) h.push(['event-lock', 'true']);
      if (o.loops !== undefined) h.push(['loops', String(o.loops)]);
      if (o.async) h.push(['async', 'true']);
      if (useBody) h.push(['content-type', 'text/plain']);
      return encodeCommand(o.uuid ? `sendmsg ${o.uuid}` : 'sendmsg', h, useBody ? arg : undefined);
    };
    const args = [undefined, '', 'a.wav', 'caf\u00e9 {x=1}', 'x'.repeat(512), 'x'.repeat(513), 'two\nlines', 'cr\r'];
    let n = 0;
    for (const uuid of [undefined, '', 'u-1'])
      for (const arg of args)
        for (const eventUuid of [undefined, 'e-1'])
          for (const eventLock of [undefined, true, false])
            for (const loops of [undefined, -1, 3])
              for (const async of [undefined, true]) {
                const o = { uuid, app: 'playback', arg, eventUuid, eventLock, loops, async };
                expect(encodeExecute(o).equals(reference(o))).toBe(true);
                n++;
              }
    expect(n).toBe(3 * args.length * 2 * 3 * 3 * 2);
    for (const bad of [{ uuid: 'u\n1' }, { app: 'play\nback' }, { eventUuid: 'e\r1' }]) {
      expect(() => encodeExecute({ app: 'playback', ...bad })).toThrow(EslEncodeError);
      expect(() => reference({ app: 'playback', ...bad })).toThrow(EslEncodeError);
    }
  });

  it('writes one frame per command and moves long or multi-line args into a body', () => {
    expect(encodeCommand('api status').toString()).toBe('api status\n\n');
    const short = parse(encodeExecute({ uuid: 'u1', app: 'playback', arg: 'a.wav', eventUuid: 'e1' }));
    expect(short).toEqual([{ line: 'sendmsg u1', headers: { 'call-command': 'execute', 'execute-app-name': 'playback', 'execute-app-arg': 'a.wav', 'Event-UUID': 'e1', 'event-lock': 'true' }, body: '' }]);
    const arg = 'x'.repeat(600) + '\nline 2 with é';
    const long = parse(encodeExecute({ app: 'log', arg, eventLock: false, loops: 2 }));
    expect(long.length).toBe(1);
    expect(long[0]!.line).toBe('sendmsg');
    expect(long[0]!.headers['execute-app-arg']).toBeUndefined();
    expect(long[0]!.headers['content-type']).toBe('text/plain');
    expect(long[0]!.headers['event-lock']).toBeUndefined();
    expect(long[0]!.headers['loops']).toBe('2');
    expect(long[0]!.body).toBe(arg);
  });

  it('refuses newlines that would inject a second command', () => {
    expect(() => encodeCommand('api status\n\nexit')).toThrow(EslEncodeError);
    expect(() => encodeCommand('sendmsg', { 'execute-app-arg': 'a\nb' })).toThrow(EslEncodeError);
    expect(() => encodeCommand('sendmsg', [['bad:name', 'v']])).toThrow(EslEncodeError);
  });
});
