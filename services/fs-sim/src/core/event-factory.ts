import { CALLING_SITE } from './calling-site.ts';
import type { Channel } from './channel.ts';
import type { FsEvent, Header } from './event.ts';
import { gmtStamp, localStamp, uepoch } from './time-format.ts';

/** Node identity shown in every event (the captures' node: hostname `vm`). */
export interface NodeIdentity {
  coreUuid: string;
  hostname: string;
  ipv4: string;
  ipv6: string;
}

/** Which channel parts an event carries; mirrors what each FreeSWITCH event showed in the captures. */
export interface ChannelEventParts {
  /** Headers before Event-Name (PRIVATE_COMMAND puts the sendmsg headers first). */
  lead?: Header[];
  /** Headers between the core block and the channel block. */
  pre?: Header[];
  /** Headers after the variables. */
  post?: Header[];
  profile?: boolean;
  vars?: boolean;
  body?: string;
}

/** Builds events with FreeSWITCH's header layout and a global Event-Sequence. */
export class EventFactory {
  private sequence = 1000;

  constructor(readonly node: NodeIdentity) {}

  /** Event-Name plus the core block every event starts with. */
  coreHeaders(out: Header[], name: string, nowMs: number): void {
    const site = CALLING_SITE[name] ?? CALLING_SITE.CUSTOM ?? ['switch_event.c', '', 0];
    out.push(
      ['Event-Name', name],
      ['Core-UUID', this.node.coreUuid],
      ['FreeSWITCH-Hostname', this.node.hostname],
      ['FreeSWITCH-Switchname', this.node.hostname],
      ['FreeSWITCH-IPv4', this.node.ipv4],
      ['FreeSWITCH-IPv6', this.node.ipv6],
      ['Event-Date-Local', localStamp(nowMs)],
      ['Event-Date-GMT', gmtStamp(nowMs)],
      ['Event-Date-Timestamp', uepoch(nowMs)],
      ['Event-Calling-File', site[0]],
      ['Event-Calling-Function', site[1]],
      ['Event-Calling-Line-Number', String(site[2])],
      ['Event-Sequence', String(this.sequence++)],
    );
  }

  /** A non-channel event (API, HEARTBEAT, BACKGROUND_JOB...). */
  plain(name: string, extra: Header[], body?: string, jobOwner?: string): FsEvent {
    const headers: Header[] = [];
    this.coreHeaders(headers, name, Date.now());
    for (const h of extra) headers.push(h);
    return { name, headers, body, jobOwner };
  }

  /** A channel event: [lead] core [pre] Channel-* [Caller-*] [Other-Leg-*] [variable_*] [post]. */
  channel(name: string, ch: Channel, parts: ChannelEventParts = {}): FsEvent {
    const headers: Header[] = parts.lead ? [...parts.lead] : [];
    this.coreHeaders(headers, name, Date.now());
    if (parts.pre) for (const h of parts.pre) headers.push(h);
    ch.channelHeaders(headers);
    if (parts.profile !== false) {
      ch.profileHeaders(headers, 'Caller');
      ch.otherLegHeaders(headers);
    }
    if (parts.vars !== false) ch.variableHeaders(headers);
    if (parts.post) for (const h of parts.post) headers.push(h);
    return { name, headers, body: parts.body, channelUuid: ch.uuid };
  }
}
