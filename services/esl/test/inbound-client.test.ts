import { describe, expect, it } from 'vitest';
import { EslChannelHangupError, EslCommandError, EslError, type EslEvent, EslFrameParser, EslInboundClient } from '../src/index.ts';
import { type Capture, loadCapture } from '../src/testing/index.ts';
import { startScriptedFs } from './helpers/scripted-fs.ts';

/** Command frames the capture's client wrote: line + headers. */
function captureCommands(cap: Capture): { line: string; headers: Record<string, string>; body: string }[] {
  const p = new EslFrameParser();
  const out: { line: string; headers: Record<string, string>; body: string }[] = [];
  for (const r of cap.records) if (r.dir === 'C>S') p.push(r.bytes, (f) => out.push({ line: f.commandLine(), headers: f.commandHeaders(), body: f.bodyText() }));
  return out;
}

describe('EslInboundClient against replayed FreeSWITCH captures', () => {
  for (const format of ['plain', 'json'] as const) {
    it(`${format}: auth, subscribe, api, bgapi with our Job-UUID, exit`, async () => {
      const cap = loadCapture(`inbound-${format}-api.txt`);
      const cmds = captureCommands(cap);
      const fs = await startScriptedFs([cap]);
      const client = new EslInboundClient({ host: '127.0.0.1', port: fs.port, password: 'ClueCon', events: { format, names: ['ALL'] } });
      const events: EslEvent[] = [];
      client.on('event', (e) => events.push(e));
      try {
        await client.connect();
        expect(client.connected).toBe(true);
        expect(await client.api('status')).toMatch(/^UP 0 years.*\n100 session\(s\) max\n/s);
        expect(await client.api('version')).toBe('FreeSWITCH Version 1.10.12-release~64bit ( 64bit)\n');
        expect(await client.api('show channels as json')).toBe('{"row_count": 0}\n');
        await client.api('show channels');
        expect(await client.api('global_getvar hostname')).toBe('vm');
        const reply = await client.send('bgapi status');
        expect(reply.replyText).toMatch(/^\+OK Job-UUID: /);
        const chosen = cmds.find((c) => c.headers['Job-UUID'])!;
        const job = await client.bgapi(chosen.line.slice('bgapi '.length), { jobUuid: chosen.headers['Job-UUID'] });
        expect(job.jobUuid).toBe(chosen.headers['Job-UUID']);
        expect(job.event.name).toBe('BACKGROUND_JOB');
        expect(job.body).toBe('{"row_count": 0}\n');
        await client.close();
        expect(client.connected).toBe(false);
        const { commands } = await fs.results[0]!;
        expect(commands).toEqual(cmds.map((c) => c.line));
        expect(events.some((e) => e.name === 'HEARTBEAT')).toBe(true);
      } finally {
        await client.close();
        await fs.close();
      }
    });

    it(`${format}: sendmsg execute resolves on its Application-UUID; an app that never completes is ended by hangup`, async () => {
      const cap = loadCapture(`inbound-${format}-call.txt`);
      const cmds = captureCommands(cap);
      const fs = await startScriptedFs([cap]);
      const client = new EslInboundClient({ host: '127.0.0.1', port: fs.port, password: 'ClueCon', events: { format, names: ['ALL'] } });
      try {
        await client.connect();
        const [play, pagd, log] = cmds.filter((c) => c.line.startsWith('sendmsg'));
        const uuid = play!.line.split(' ')[1]!;
        const p1 = client.execute(uuid, 'playback', play!.headers['execute-app-arg'], { eventUuid: play!.headers['Event-UUID'] });
        // FreeSWITCH (the capture) will use its own Application-UUID for this one: ours never completes.
        const p2 = client.execute(uuid, 'play_and_get_digits', pagd!.headers['execute-app-arg']);
        const p3 = client.execute(uuid, 'log', log!.body.padEnd(600, ' ') + '\nsecond line');
        // The capture asked these while playback ran; the script waits for them before going on.
        const rows = await client.showChannels();
        expect(rows[0]?.['uuid']).toBe(uuid);
        expect(await client.api(`uuid_getvar ${uuid} sip_call_id`)).toMatch(/\S/);
        const done = await p1;
        expect(done.name).toBe('CHANNEL_EXECUTE_COMPLETE');
        expect(done.get('Application')).toBe('playback');
        expect(done.get('Application-Response')).toBe('FILE PLAYED');
        expect(done.uniqueId).toBe(uuid);
        expect(await client.api(`uuid_getvar ${uuid} pagd_digits`)).toBe('123');
        const err = await p2.catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EslChannelHangupError);
        expect((err as EslChannelHangupError).hangupCause).toBe('NORMAL_CLEARING');
        await expect(p3).rejects.toBeInstanceOf(EslChannelHangupError);
        await client.close();
        const { commands } = await fs.results[0]!;
        expect(commands.filter((c) => c.startsWith('sendmsg')).length).toBe(3);
      } finally {
        await client.close();
        await fs.close();
      }
    });
  }

  it('a wrong password rejects connect() and stops (no reconnect storm)', async () => {
    const cap = loadCapture('inbound-bad-password.txt');
    const fs = await startScriptedFs([cap, cap]);
    const client = new EslInboundClient({ host: '127.0.0.1', port: fs.port, password: 'WrongPassword', backoff: { baseMs: 1, maxMs: 5 } });
    try {
      const err = await client.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EslError);
      expect((err as EslError).code).toBe('auth');
      await new Promise((r) => setTimeout(r, 50));
      expect(fs.results.length).toBe(1);
    } finally {
      await client.close();
      await fs.close();
    }
  });

  it('-ERR replies reject command() and sendmsg to a missing uuid rejects execute()', async () => {
    const cap = loadCapture('inbound-errors-and-exit.txt');
    const fs = await startScriptedFs([cap]);
    const client = new EslInboundClient({ host: '127.0.0.1', port: fs.port, password: 'ClueCon' });
    try {
      await client.connect();
      await expect(client.command('blah')).rejects.toBeInstanceOf(EslCommandError);
      expect(await client.api('nosuchcommand foo')).toBe('-ERR nosuchcommand Command not found!\n');
      expect(await client.api('uuid_kill 00000000-0000-0000-0000-000000000000')).toBe('-ERR No such channel!\n');
      const e = await client.execute('00000000-0000-0000-0000-000000000000', 'playback', 'x').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(EslCommandError);
      expect((e as EslCommandError).replyText).toMatch(/^-ERR invalid session id/);
    } finally {
      await client.close(100);
      await fs.close();
    }
  });
});
