import { existsSync } from 'node:fs';
import { jsonEventBody } from '@switchyard/esl';
import { linkLegs, unlinkLegs } from '../apps/bridge-app.ts';
import type { Header } from '../core/event.ts';
import type { SendMsg } from '../core/executor.ts';
import { originateLeg, parseDialString } from '../core/originate.ts';
import type { ChannelRuntime, SwitchCore } from '../core/switch-core.ts';
import { showCommand } from './show-commands.ts';

const LOG_LEVELS: Record<string, number> = { CONSOLE: 0, ALERT: 1, CRIT: 2, ERR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7 };
const NO_CHANNEL = '-ERR No such channel!\n';
/** Exactly what `api version` printed on the capture node. */
export const FS_VERSION = '1.10.12-release~64bit';

type ApiFn = (sw: SwitchCore, args: string) => string | Promise<string>;

function withChannel(sw: SwitchCore, args: string, fn: (rt: ChannelRuntime, rest: string[]) => string): string {
  const [uuid = '', ...rest] = args.trim().split(/\s+/);
  const rt = sw.runtime(uuid);
  if (!rt || rt.destroyed) return NO_CHANNEL;
  return fn(rt, rest);
}

function statusText(sw: SwitchCore): string {
  let up = Date.now() - sw.startedMs;
  const ms = up % 1000;
  up = Math.floor(up / 1000);
  const s = up % 60;
  const m = Math.floor(up / 60) % 60;
  const h = Math.floor(up / 3600) % 24;
  const d = Math.floor(up / 86400) % 365;
  const y = Math.floor(up / 31536000);
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  return (
    `UP ${plural(y, 'year')}, ${plural(d, 'day')}, ${plural(h, 'hour')}, ${plural(m, 'minute')}, ${plural(s, 'second')}, ${plural(ms, 'millisecond')}, 0 microseconds\n` +
    'FreeSWITCH (Version 1.10.12-release  64bit) is ready\n' +
    `${sw.sessionsSinceStartup} session(s) since startup\n` +
    `${sw.sessionCount} session(s) - peak ${sw.peakSessions}, last 5min ${sw.peakSessions} \n` +
    `0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n` +
    `${sw.opts.maxSessions} session(s) max\n` +
    'min idle cpu 0.00/99.00\n' +
    'Current Stack Size/Max 240K/8192K\n'
  );
}

/** uuid_dump: the channel as a CHANNEL_DATA event, plain `Name: value` lines or JSON. */
function uuidDump(sw: SwitchCore, args: string): string {
  return withChannel(sw, args, (rt, rest) => {
    const headers: Header[] = [];
    sw.events.coreHeaders(headers, 'CHANNEL_DATA', Date.now());
    const site = headers.findIndex(([k]) => k === 'Event-Calling-File');
    headers[site] = ['Event-Calling-File', 'mod_commands.c'];
    headers[site + 1] = ['Event-Calling-Function', 'uuid_dump_function'];
    headers[site + 2] = ['Event-Calling-Line-Number', '6468'];
    rt.ch.channelHeaders(headers);
    rt.ch.profileHeaders(headers, 'Caller');
    rt.ch.otherLegHeaders(headers);
    rt.ch.variableHeaders(headers);
    if (rest[0] === 'json') return jsonEventBody(headers).toString('utf8');
    return headers.map(([k, v]) => `${k}: ${v}\n`).join('');
  });
}

/** originate <dialstring> <&app(arg)|exten> [dialplan] [context] ... */
function originate(sw: SwitchCore, args: string): Promise<string> | string {
  const m = /^(\S+)\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?/.exec(args.trim());
  if (!m) return '-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n';
  const dial = parseDialString(m[1] as string);
  if (!dial) return '-ERR INVALID_URL\n';
  const target = m[2] as string;
  const app = /^&([\w-]+)(?:\((.*)\))?$/.exec(target);
  return new Promise((resolve) => {
    originateLeg(sw, dial, [], (o) => {
      if (!o.ok) {
        resolve(`-ERR ${o.cause}\n`);
        return;
      }
      const rt = o.rt;
      resolve(`+OK ${rt.ch.uuid}\n`);
      sw.setState(rt.ch, 'CS_EXECUTE');
      if (app) {
        rt.dialplan = [{ app: app[1] as string, arg: app[2] ?? '' }];
        rt.step = 0;
        sw.onExecutorIdle(rt.ch);
      } else {
        rt.ch.profile.dialplan = m[3] ?? 'XML';
        sw.transfer(rt, target, m[3] ?? 'XML', m[4] ?? 'default');
      }
    });
  });
}

function queueBroadcast(rt: ChannelRuntime, path: string): void {
  const msg: SendMsg = {
    headers: [
      ['call-command', 'execute'],
      ['execute-app-name', 'playback'],
      ['execute-app-arg', path],
      ['event-lock', 'true'],
    ],
    command: 'execute',
    appName: 'playback',
    appArg: path,
    loops: 1,
    eventLock: true,
    commandLine: `sendmsg ${rt.ch.uuid}`,
  };
  rt.exec.enqueue(msg);
}

function uuidBridge(sw: SwitchCore, args: string): string {
  const [a = '', b = ''] = args.trim().split(/\s+/);
  const ra = sw.runtime(a);
  const rb = sw.runtime(b);
  if (!ra || !rb) return `-ERR Invalid uuid ${!ra ? a : b}\n`;
  for (const rt of [ra, rb]) {
    rt.dialplan = [];
    rt.exec.transferOut();
    sw.answer(rt.ch);
  }
  linkLegs(sw, ra.ch, rb.ch);
  const endOther = (gone: ChannelRuntime, other: ChannelRuntime): void => {
    gone.onDestroy.push(() => {
      if (other.ch.isHungUp) return;
      if (gone === rb) unlinkLegs(sw, ra.ch, rb.ch);
      sw.hangup(other.ch, 'NORMAL_CLEARING', { disposition: 'send_bye' });
    });
  };
  endOther(rb, ra);
  endOther(ra, rb);
  return `+OK ${b}\n`;
}

const COMMANDS: Record<string, ApiFn> = {
  status: (sw) => statusText(sw),
  version: () => `FreeSWITCH Version ${FS_VERSION} ( 64bit)\n`,
  show: (sw, a) => showCommand(sw, a),
  global_getvar: (sw, a) => sw.globals.get(a.trim()) ?? '',
  uuid_exists: (sw, a) => (sw.runtime(a.trim()) ? 'true' : 'false'),
  uuid_kill: (sw, a) =>
    withChannel(sw, a, (rt, rest) => {
      sw.hangup(rt.ch, rest[0] || 'NORMAL_CLEARING', { disposition: rt.ch.isAnswered ? 'send_bye' : 'send_cancel' });
      return '+OK\n';
    }),
  uuid_getvar: (sw, a) => withChannel(sw, a, (rt, rest) => rt.ch.getVar(rest[0] ?? '') ?? '_undef_'),
  uuid_setvar: (sw, a) =>
    withChannel(sw, a, (rt, rest) => {
      const [name = '', ...value] = rest;
      rt.ch.setVar(name, value.length ? value.join(' ') : undefined);
      return '+OK\n';
    }),
  uuid_transfer: (sw, a) =>
    withChannel(sw, a, (rt, rest) => {
      const words = rest[0]?.startsWith('-') ? rest.slice(1) : rest;
      const [dest, dialplan, context] = words;
      if (!dest) return '-USAGE: <uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]\n';
      sw.transfer(rt, dest, dialplan ?? 'XML', context ?? rt.ch.profile.context);
      return '+OK\n';
    }),
  uuid_broadcast: (sw, a) =>
    withChannel(sw, a, (rt, rest) => {
      if (!rest[0]) return '-USAGE: <uuid> <path> [aleg|bleg|holdb|both]\n';
      queueBroadcast(rt, rest[0]);
      return '+OK Message sent\n';
    }),
  uuid_break: (sw, a) =>
    withChannel(sw, a, (rt) => {
      // the media loop notices the break flag on its next 20 ms frame
      sw.timers.after(20, () => rt.exec.breakMedia());
      return '+OK\n';
    }),
  uuid_answer: (sw, a) =>
    withChannel(sw, a, (rt) => {
      sw.answer(rt.ch);
      return '+OK\n';
    }),
  uuid_send_dtmf: (sw, a) =>
    withChannel(sw, a, (rt, rest) => {
      for (const d of (rest[0] ?? '').replace(/@\d+$/, '')) sw.dtmf(rt.ch, d, 'RTP');
      return '+OK Success\n';
    }),
  uuid_dump: uuidDump,
  uuid_bridge: uuidBridge,
  originate,
  hupall: (sw, a) => {
    const cause = a.trim().split(/\s+/)[0] || 'MANAGER_REQUEST';
    for (const rt of [...sw.channels.values()]) sw.hangup(rt.ch, cause, { disposition: 'send_bye' });
    return `+OK hangup all channels with cause ${cause}\n`;
  },
  fsctl: (sw, a) => {
    const w = a.trim().split(/\s+/)[0];
    if (w === 'pause') sw.paused = true;
    else if (w === 'resume') sw.paused = false;
    else return '-ERR Invalid command\n';
    return '+OK\n';
  },
  file_exists: (sw, a) => (sw.opts.media.files.has(a.trim()) || existsSync(a.trim()) ? 'true' : 'false'),
  log: (sw, a) => {
    const m = /^(\S+)\s+(.*)$/s.exec(a.trim());
    const level = LOG_LEVELS[(m?.[1] ?? '').toUpperCase()] ?? 7;
    const text = m?.[2] ?? a;
    for (const sink of sw.logSinks) sink(level, text, 'mod_commands.c', 'log_function', 7200);
    return '+OK\n';
  },
  echo: (_sw, a) => a,
  'sofia': (sw, a) => sofiaStatus(sw, a),
};

function sofiaStatus(sw: SwitchCore, a: string): string {
  if (a.trim() !== 'status') return '-ERR Usage: sofia status\n';
  const rule = `${'='.repeat(97)}\n`;
  const url = `sip:mod_sofia@${sw.sipAddress}`;
  return (
    `${'Name'.padStart(25)}\t${'Type'.padStart(7)}\t${'Data'.padStart(42)}\tState\n` +
    rule +
    `${'internal'.padStart(25)}\t${'profile'.padStart(7)}\t${url.padStart(42)}\tRUNNING (${sw.sessionCount})\n` +
    rule +
    '1 profile 0 aliases\n'
  );
}

/** Run an api command; unknown ones get `-ERR <cmd> Command not found!`. Never throws. */
export async function runApi(sw: SwitchCore, cmd: string, args: string): Promise<string> {
  const fn = COMMANDS[cmd];
  if (!fn) return `-ERR ${cmd} Command not found!\n`;
  try {
    return await fn(sw, args);
  } catch (err) {
    return `-ERR ${(err as Error).message}\n`;
  }
}
