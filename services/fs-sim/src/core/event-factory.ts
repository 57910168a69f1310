import { CALLING_SITE } from './calling-site.ts';
import type { Channel } from './channel.ts';
import type { FsEvent, Header } from './event.ts';
import { Segment } from './event-segment.ts';
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
  private stampSecond = -1;
  private stampLocal = '';
  private stampGmt = '';

  /** Event-Name plus the core block every event starts with. */
  coreHeaders(out: Header[], name: string, nowMs: number): void {
    for (const h of this.coreSegment(name, nowMs).headers) out.push([h[0], h[1]]);
  }

  private readonly sitePieces = new Map<string, [string, string, string, string]>();
  private constPieces: [string, string] | undefined;
  private datePieces: [string, string] = ['', ''];
  private datePiecesSecond = -1;

  /**
   * The core block as a Segment whose encodings are stitched from cached pieces: the node
   * identity never changes, dates change once a second, the calling site is per event name.
   */
  coreSegment(name: string, nowMs: number): Segment {
    const seq = String(this.sequence++);
    const ts = uepoch(nowMs);
    const sec = Math.floor(nowMs / 1000);
    if (sec !== this.stampSecond) {
      this.stampSecond = sec;
      this.stampLocal = localStamp(nowMs);
      this.stampGmt = gmtStamp(nowMs);
    }
    const stampLocal = this.stampLocal;
    const stampGmt = this.stampGmt;
    const site = CALLING_SITE[name] ?? CALLING_SITE.CUSTOM ?? ['switch_event.c', '', 0];
    const build = (): Header[] => [
      ['Event-Name', name],
      ['Core-UUID', this.node.coreUuid],
      ['FreeSWITCH-Hostname', this.node.hostname],
      ['FreeSWITCH-Switchname', this.node.hostname],
      ['FreeSWITCH-IPv4', this.node.ipv4],
      ['FreeSWITCH-IPv6', this.node.ipv6],
      ['Event-Date-Local', stampLocal],
      ['Event-Date-GMT', stampGmt],
      ['Event-Date-Timestamp', ts],
      ['Event-Calling-File', site[0]],
      ['Event-Calling-Function', site[1]],
      ['Event-Calling-Line-Number', String(site[2])],
      ['Event-Sequence', seq],
    ];
    const enc = (hs: Header[]): [string, string] => {
      const s = new Segment(hs);
      return [s.plain, s.json];
    };
    if (!this.constPieces) this.constPieces = enc(build().slice(1, 6));
    if (this.datePiecesSecond !== sec) {
      this.datePieces = enc(build().slice(6, 8));
      this.datePiecesSecond = sec;
    }
    let pieces = this.sitePieces.get(name);
    if (!pieces) {
      const b = build();
      const n = enc(b.slice(0, 1));
      const st = enc(b.slice(9, 12));
      pieces = [n[0], st[0], n[1], st[1]];
      this.sitePieces.set(name, pieces);
    }
    const [namePlain, sitePlain, nameJson, siteJson] = pieces;
    const plain = `${namePlain}${this.constPieces[0]}${this.datePieces[0]}Event-Date-Timestamp: ${ts}\n${sitePlain}Event-Sequence: ${seq}\n`;
    const json = `${nameJson},${this.constPieces[1]},${this.datePieces[1]},"Event-Date-Timestamp":"${ts}",${siteJson},"Event-Sequence":"${seq}"`;
    return new Segment(build, plain, json);
  }

  /** A non-channel event (API, HEARTBEAT, BACKGROUND_JOB...). */
  plain(name: string, extra: Header[], body?: string, jobOwner?: string): FsEvent {
    const headers: Header[] = [];
    this.coreHeaders(headers, name, Date.now());
    for (const h of extra) headers.push(h);
    return { name, headers, body, jobOwner };
  }

  /**
   * A channel event: [lead] core [pre] Channel-* [Caller-*] [Other-Leg-*] [variable_*] [post].
   * The caller and variable runs are the channel's cached segments; `headers` is built lazily.
   */
  channel(name: string, ch: Channel, parts: ChannelEventParts = {}): FsEvent {
    const segments: Segment[] = [];
    if (parts.lead) segments.push(new Segment(parts.lead));
    segments.push(this.coreSegment(name, Date.now()));
    if (parts.pre) segments.push(new Segment(parts.pre));
    segments.push(ch.channelSegment());
    if (parts.profile !== false) segments.push(ch.callerSegment());
    if (parts.vars !== false) segments.push(ch.variableSegment());
    if (parts.post) segments.push(new Segment(parts.post));
    let headers: Header[] | undefined;
    return {
      name,
      get headers(): Header[] {
        if (!headers) headers = segments.flatMap((s) => s.headers);
        return headers;
      },
      segments,
      body: parts.body,
      channelUuid: ch.uuid,
    };
  }
}
