import type { Channel } from '../core/channel.ts';
import type { SwitchCore } from '../core/switch-core.ts';
import { localStamp } from '../core/time-format.ts';

type Row = Array<[string, string]>;

function channelRow(sw: SwitchCore, ch: Channel): Row {
  const rt = sw.runtime(ch.uuid);
  const p = ch.profile;
  const answered = ch.isAnswered || ch.direction === 'inbound';
  return [
    ['uuid', ch.uuid],
    ['direction', ch.direction],
    ['created', localStamp(ch.createdMs)],
    ['created_epoch', String(Math.floor(ch.createdMs / 1000))],
    ['name', ch.name],
    ['state', ch.state],
    ['cid_name', p.callerIdName],
    ['cid_num', p.callerIdNumber],
    ['ip_addr', p.networkAddr],
    ['dest', p.destinationNumber],
    ['application', rt?.exec.currentApp ?? ''],
    ['application_data', rt?.exec.currentAppArg ?? ''],
    ['dialplan', ch.direction === 'inbound' || ch.state === 'CS_EXECUTE' ? p.dialplan : ''],
    ['context', p.context],
    ['read_codec', answered ? 'PCMU' : ''],
    ['read_rate', answered ? '8000' : ''],
    ['read_bit_rate', answered ? '64000' : ''],
    ['write_codec', answered ? 'PCMU' : ''],
    ['write_rate', answered ? '8000' : ''],
    ['write_bit_rate', answered ? '64000' : ''],
    ['secure', ''],
    ['hostname', sw.opts.node.hostname],
    ['presence_id', ''],
    ['presence_data', ''],
    ['accountcode', ''],
    ['callstate', ch.callState],
    ['callee_name', p.calleeIdName ?? ''],
    ['callee_num', p.calleeIdNumber ?? ''],
    ['callee_direction', ''],
    ['call_uuid', ''],
    ['sent_callee_name', ''],
    ['sent_callee_num', ''],
    ['initial_cid_name', p.origCallerIdName],
    ['initial_cid_num', p.origCallerIdNumber],
    ['initial_ip_addr', p.networkAddr],
    ['initial_dest', p.destinationNumber],
    ['initial_dialplan', p.dialplan],
    ['initial_context', p.context],
  ];
}

function legFields(ch: Channel, prefix: string): Row {
  const p = ch.profile;
  return [
    [`${prefix}uuid`, ch.uuid],
    [`${prefix}direction`, ch.direction],
    [`${prefix}created`, localStamp(ch.createdMs)],
    [`${prefix}created_epoch`, String(Math.floor(ch.createdMs / 1000))],
    [`${prefix}name`, ch.name],
    [`${prefix}state`, ch.state],
    [`${prefix}cid_name`, p.callerIdName],
    [`${prefix}cid_num`, p.callerIdNumber],
    [`${prefix}ip_addr`, p.networkAddr],
    [`${prefix}dest`, p.destinationNumber],
    [`${prefix}presence_id`, ''],
    [`${prefix}presence_data`, ''],
    [`${prefix}accountcode`, ''],
    [`${prefix}callstate`, ch.callState],
    [`${prefix}callee_name`, p.calleeIdName ?? ''],
    [`${prefix}callee_num`, p.calleeIdNumber ?? ''],
    [`${prefix}callee_direction`, 'SEND'],
  ];
}

function callRow(sw: SwitchCore, a: Channel, b: Channel): Row {
  const row = legFields(a, '');
  row.push(['call_uuid', a.uuid], ['hostname', sw.opts.node.hostname]);
  row.push(['sent_callee_name', b.profile.callerIdName], ['sent_callee_num', b.profile.callerIdNumber]);
  row.push(...legFields(b, 'b_'));
  row.push(['b_sent_callee_name', a.profile.callerIdName], ['b_sent_callee_num', a.profile.callerIdNumber]);
  row.push(['call_created_epoch', String(Math.floor((a.bridgedMs || a.createdMs) / 1000))]);
  return row;
}

/** Output exactly like FreeSWITCH's `show ... as json` (note the space in the empty form). */
function asJson(rows: Row[]): string {
  if (rows.length === 0) return '{"row_count": 0}\n';
  const body = rows.map((r) => `{${r.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`).join(',');
  return `{"row_count":${rows.length},"rows":[${body}]}`;
}

/** Comma-separated text form (`show channels`): header line, rows, blank line, `N total.`. */
function asText(rows: Row[], header: string[]): string {
  if (rows.length === 0) return '\n0 total.\n';
  const lines = rows.map((r) => r.map(([, v]) => v).join(','));
  return `${header.join(',')}\n${lines.join('\n')}\n\n${rows.length} total.\n`;
}

/** `show channels|calls [as json]`. */
export function showCommand(sw: SwitchCore, args: string): string {
  const words = args.trim().split(/\s+/);
  const what = words[0] ?? '';
  const json = /\bas\s+json\b/.test(args);
  let rows: Row[];
  if (what === 'channels') {
    rows = [...sw.channels.values()].map((rt) => channelRow(sw, rt.ch));
  } else if (what === 'calls') {
    rows = [];
    for (const rt of sw.channels.values()) {
      const o = rt.ch.otherLeg;
      if (o && o.type === 'originatee') rows.push(callRow(sw, rt.ch, o.channel));
    }
  } else return '-USAGE: codec|endpoint|application|api|dialplan|file|timer|calls [count]|channels [count|like <match string>]|calls|detailed_calls|bridged_calls|detailed_bridged_calls|aliases|complete|chat|management|modules|nat_map|say|interfaces|interface_types|tasks|limits|status\n';
  if (json) return asJson(rows);
  const header = rows[0]?.map(([k]) => k) ?? [];
  return asText(rows, header);
}
