import type { Header } from './event.ts';
import { Segment } from './event-segment.ts';
import { uepoch } from './time-format.ts';

/** FreeSWITCH channel states with their numbers (switch_types.h). */
export const CHANNEL_STATES = [
  'CS_NEW',
  'CS_INIT',
  'CS_ROUTING',
  'CS_SOFT_EXECUTE',
  'CS_EXECUTE',
  'CS_EXCHANGE_MEDIA',
  'CS_PARK',
  'CS_CONSUME_MEDIA',
  'CS_HIBERNATE',
  'CS_RESET',
  'CS_HANGUP',
  'CS_REPORTING',
  'CS_DESTROY',
] as const;
/** CS_NONE is what a leg reports before its state machine starts (CHANNEL_OUTGOING). */
export type ChannelState = (typeof CHANNEL_STATES)[number] | 'CS_NONE';

/** Call states with their numbers (switch_channel_callstate_t). */
export const CALL_STATES = ['DOWN', 'DIALING', 'RINGING', 'EARLY', 'ACTIVE', 'HELD', 'RING_WAIT', 'HANGUP', 'UNHELD'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** Media-quality figures reported at hang-up (variable_rtp_audio_*); tests set them to fake a bad line. */
export interface MediaQuality {
  mos: number;
  jitterMinVariance: number;
  jitterMaxVariance: number;
  jitterLossRate: number;
  jitterBurstRate: number;
  packetLossPercent: number;
  flawTotal: number;
}

export const GOOD_LINE: MediaQuality = {
  mos: 4.5,
  jitterMinVariance: 0,
  jitterMaxVariance: 0,
  jitterLossRate: 0,
  jitterBurstRate: 0,
  packetLossPercent: 0,
  flawTotal: 0,
};

/** Caller profile (the Caller-* headers). */
export interface CallerProfile {
  username: string;
  dialplan: string;
  callerIdName: string;
  callerIdNumber: string;
  origCallerIdName: string;
  origCallerIdNumber: string;
  calleeIdName?: string;
  calleeIdNumber?: string;
  networkAddr: string;
  ani: string;
  destinationNumber: string;
  source: string;
  context: string;
  profileIndex: number;
}

/** A leg on the other side of a bridge/originate (Other-Leg-* headers). */
export interface OtherLeg {
  type: 'originatee' | 'originator';
  channel: Channel;
}

/**
 * One simulated call leg: state, caller profile, timestamps and the ordered variable list.
 * Pure data plus header rendering; the executor and the simulator drive it.
 */
export class Channel {
  state: ChannelState = 'CS_NEW';
  /**
   * The state FreeSWITCH has already switched to while the running state (Channel-State) lags:
   * Channel-State-Number reports this one (e.g. CHANNEL_HANGUP shows CS_EXECUTE / 10).
   */
  nextState: ChannelState | undefined;
  /** Codec negotiated: Channel-Read/Write-Codec-* headers appear from then on. */
  hasCodec = false;
  callState: CallState = 'DOWN';
  answerState: 'ringing' | 'early' | 'answered' | 'hangup' = 'ringing';
  hangupCause: string | undefined;
  /** FreeSWITCH keeps set-order; setting a variable again moves it to the end. */
  readonly vars = new Map<string, string>();
  otherLeg: OtherLeg | undefined;
  createdMs: number;
  answeredMs = 0;
  progressMs = 0;
  progressMediaMs = 0;
  hangupMs = 0;
  transferMs = 0;
  bridgedMs = 0;
  quality: MediaQuality = GOOD_LINE;
  /** Free-form per-transport data (SIP dialog, load-mode script state). */
  transport: unknown;
  private varsSegment: Segment | undefined;
  private profileSegment: Segment | undefined;
  private profileKey = '';

  constructor(
    readonly uuid: string,
    public name: string,
    readonly direction: 'inbound' | 'outbound',
    readonly profile: CallerProfile,
    nowMs: number,
  ) {
    this.createdMs = nowMs;
  }

  get stateNumber(): number {
    return CHANNEL_STATES.indexOf((this.nextState ?? this.state) as (typeof CHANNEL_STATES)[number]);
  }

  get callStateNumber(): number {
    return CALL_STATES.indexOf(this.callState);
  }

  get isHungUp(): boolean {
    return this.hangupCause !== undefined;
  }

  get isAnswered(): boolean {
    return this.answeredMs > 0;
  }

  /** Set (or with undefined, unset) a channel variable the way switch_channel_set_variable does. */
  setVar(name: string, value: string | undefined): void {
    this.varsSegment = undefined;
    this.vars.delete(name);
    if (value !== undefined && value !== '') this.vars.set(name, value);
  }

  getVar(name: string): string | undefined {
    return this.vars.get(name);
  }

  /** Channel-* headers (incl. Hangup-Cause after Answer-State once hung up). */
  channelHeaders(out: Header[]): void {
    out.push(
      ['Channel-State', this.state],
      ['Channel-Call-State', this.callState],
      ['Channel-State-Number', String(this.stateNumber)],
      ['Channel-Name', this.name],
      ['Unique-ID', this.uuid],
      ['Call-Direction', this.direction],
      ['Presence-Call-Direction', this.direction],
      ['Channel-HIT-Dialplan', this.direction === 'inbound' ? 'true' : 'false'],
      ['Channel-Call-UUID', this.vars.get('call_uuid') ?? this.uuid],
      ['Answer-State', this.answerState],
    );
    if (this.hangupCause) out.push(['Hangup-Cause', this.hangupCause]);
    if (!this.hasCodec) return;
    out.push(
      ['Channel-Read-Codec-Name', 'PCMU'],
      ['Channel-Read-Codec-Rate', '8000'],
      ['Channel-Read-Codec-Bit-Rate', '64000'],
      ['Channel-Write-Codec-Name', 'PCMU'],
      ['Channel-Write-Codec-Rate', '8000'],
      ['Channel-Write-Codec-Bit-Rate', '64000'],
    );
  }

  /** Caller profile headers with the given prefix (`Caller`, `Other-Leg`, or `Channel` in CHANNEL_DATA). */
  profileHeaders(out: Header[], prefix: string, withIndex = true): void {
    const p = this.profile;
    // switch_caller_profile_event_set_data skips empty string fields
    const h = (k: string, v: string): void => {
      if (v !== '') out.push([`${prefix}-${k}`, v]);
    };
    h('Direction', this.direction);
    h('Logical-Direction', this.direction);
    h('Username', p.username);
    h('Dialplan', p.dialplan);
    h('Caller-ID-Name', p.callerIdName);
    h('Caller-ID-Number', p.callerIdNumber);
    h('Orig-Caller-ID-Name', p.origCallerIdName);
    h('Orig-Caller-ID-Number', p.origCallerIdNumber);
    if (p.calleeIdName !== undefined) h('Callee-ID-Name', p.calleeIdName);
    if (p.calleeIdNumber !== undefined) h('Callee-ID-Number', p.calleeIdNumber);
    h('Network-Addr', p.networkAddr);
    h('ANI', p.ani);
    h('Destination-Number', p.destinationNumber);
    h('Unique-ID', this.uuid);
    h('Source', p.source);
    h('Context', p.context);
    h('Channel-Name', this.name);
    if (withIndex) h('Profile-Index', String(p.profileIndex));
    h('Profile-Created-Time', uepoch(this.createdMs));
    h('Channel-Created-Time', uepoch(this.createdMs));
    h('Channel-Answered-Time', uepoch(this.answeredMs));
    h('Channel-Progress-Time', uepoch(this.progressMs));
    h('Channel-Progress-Media-Time', uepoch(this.progressMediaMs));
    h('Channel-Hangup-Time', uepoch(this.hangupMs));
    h('Channel-Transfer-Time', uepoch(this.transferMs));
    h('Channel-Resurrect-Time', '0');
    h('Channel-Bridged-Time', uepoch(this.bridgedMs));
    h('Channel-Last-Hold', '0');
    h('Channel-Hold-Accum', '0');
    h('Screen-Bit', 'true');
    h('Privacy-Hide-Name', 'false');
    h('Privacy-Hide-Number', 'false');
  }

  /** Other-Type + Other-Leg-* headers when this leg is bridged or was originated by another. */
  otherLegHeaders(out: Header[]): void {
    if (!this.otherLeg) return;
    out.push(['Other-Type', this.otherLeg.type]);
    this.otherLeg.channel.profileHeaders(out, 'Other-Leg', false);
  }

  /** variable_* headers in set order. */
  variableHeaders(out: Header[]): void {
    for (const [k, v] of this.vars) out.push([`variable_${k}`, v]);
  }

  /** variable_* headers as a cached segment (rebuilt after any setVar). */
  variableSegment(): Segment {
    if (!this.varsSegment) {
      const h: Header[] = [];
      this.variableHeaders(h);
      this.varsSegment = new Segment(h);
    }
    return this.varsSegment;
  }

  private stateSegment: Segment | undefined;
  private stateKey = '';

  /** Channel-* headers as a cached segment (rebuilt when state, call state or answer state move). */
  channelSegment(): Segment {
    const key = `${this.state}|${this.nextState}|${this.callState}|${this.answerState}|${this.hangupCause}|${this.hasCodec}|${this.name}`;
    if (!this.stateSegment || key !== this.stateKey) {
      const h: Header[] = [];
      this.channelHeaders(h);
      this.stateSegment = new Segment(h);
      this.stateKey = key;
    }
    return this.stateSegment;
  }

  /** Caller-* + Other-Leg-* headers as a cached segment (rebuilt when a time or leg changes). */
  callerSegment(): Segment {
    const o = this.otherLeg?.channel;
    const p = this.profile;
    const key = `${this.name}|${this.answeredMs}|${this.progressMs}|${this.progressMediaMs}|${this.hangupMs}|${this.transferMs}|${this.bridgedMs}|${p.destinationNumber}|${p.context}|${p.callerIdName}|${p.callerIdNumber}|${this.otherLeg?.type}|${o ? `${o.uuid}|${o.answeredMs}|${o.hangupMs}|${o.bridgedMs}|${o.progressMs}` : ''}`;
    if (!this.profileSegment || key !== this.profileKey) {
      const h: Header[] = [];
      this.profileHeaders(h, 'Caller');
      this.otherLegHeaders(h);
      this.profileSegment = new Segment(h);
      this.profileKey = key;
    }
    return this.profileSegment;
  }
}
