import { randomUUID } from 'node:crypto';
import type { App } from '../apps/app.ts';
import type { Dialplan, DialplanAction } from '../dialplan/dialplan.ts';
import { Channel, type CallState, type CallerProfile, type ChannelState, type MediaQuality } from './channel.ts';
import type { FsEvent, Header } from './event.ts';
import { EventBus } from './event-bus.ts';
import { type ChannelEventParts, EventFactory, type NodeIdentity } from './event-factory.ts';
import { Executor, type SendMsg } from './executor.ts';
import { mediaDuration } from './media-duration.ts';
import type { Endpoint } from './originate.ts';
import { hangupCauseVars, reportingVars } from './hangup-vars.ts';
import { TimerQueue } from './timer-queue.ts';

/** Transport hooks (SIP dialog, loopback, load-mode script) told about call progress. */
export interface ChannelTransport {
  ring?(ch: Channel): void;
  preAnswer?(ch: Channel): void;
  answer?(ch: Channel): void;
  /** The switch hung the channel up (send BYE / CANCEL / final error). */
  hangup?(ch: Channel, cause: string): void;
}

/** Per-channel runtime state kept beside the data model. */
export interface ChannelRuntime {
  ch: Channel;
  exec: Executor;
  transport: ChannelTransport | undefined;
  dialplan: DialplanAction[];
  step: number;
  destroyed: boolean;
  /** uuid_transfer in progress: once running apps end, route again. */
  pendingTransfer: boolean;
  /** Called once the channel is destroyed. */
  onDestroy: Array<() => void>;
  /** Called right after CHANNEL_HANGUP_COMPLETE (outbound sockets send their notice then). */
  onHangupComplete: Array<() => void>;
  /** Called when the hangup starts, before CHANNEL_HANGUP (static outbound sockets). */
  onHangup: Array<() => void>;
}

/** Media settings: how long prompts last. */
export interface MediaOptions {
  /** Milliseconds for a file whose length cannot be read. */
  defaultPlaybackMs: number;
  /** Known files with explicit durations (ms); also what `file_exists` says exists. */
  files: Map<string, number>;
  /** FILE NOT FOUND for unknown files that are not on disk. */
  strictFiles?: boolean;
}

export interface SwitchOptions {
  node: NodeIdentity;
  maxSessions: number;
  media: MediaOptions;
  dialplan: Dialplan;
  apps: Map<string, App>;
  /** Extra time scale for simulated media (1 = real time). */
  mediaScale: number;
}

/**
 * The simulated switch: channel table, lifecycle (create → route → execute → hangup →
 * destroy) with FreeSWITCH's event order, and the event bus.
 */
export class SwitchCore {
  readonly timers = new TimerQueue();
  readonly bus = new EventBus();
  readonly events: EventFactory;
  readonly channels = new Map<string, ChannelRuntime>();
  readonly startedMs = Date.now();
  sessionsSinceStartup = 0;
  peakSessions = 0;
  paused = false;
  /** ESL sessions that asked for `log` output. */
  readonly logSinks = new Set<(level: number, text: string, file: string, func: string, line: number) => void>();
  /** Bytes queued towards ESL consumers (set by the ESL server; load mode throttles on it). */
  backlog: () => number = () => 0;
  /** Global variables (`global_getvar`). */
  readonly globals = new Map<string, string>();
  /** Address of the SIP profile as `host:port` (for sofia status, Contact headers). */
  sipAddress = '127.0.0.1:5080';
  /** Technologies for originate/bridge (`sofia`, `sim`, `loopback`). */
  readonly endpoints = new Map<string, Endpoint>();
  /** Hooks the SIP/ESL layers install (e.g. originate endpoints, outbound socket). */
  readonly hooks: {
    socket?: (rt: ChannelRuntime, host: string, port: number, async: boolean, full: boolean, done: () => void) => { hangup(): void };
  } = {};

  constructor(readonly opts: SwitchOptions) {
    this.events = new EventFactory(opts.node);
    this.globals.set('hostname', opts.node.hostname);
    this.globals.set('switchname', opts.node.hostname);
    this.globals.set('core_uuid', opts.node.coreUuid);
  }

  /** Duration in ms of a file or stream, or undefined when FreeSWITCH could not open it. */
  mediaDurationMs(path: string): number | undefined {
    return mediaDuration(this.opts.media, path);
  }

  newUuid(): string {
    return randomUUID();
  }

  runtime(uuid: string): ChannelRuntime | undefined {
    return this.channels.get(uuid);
  }

  /** Publish a channel event if anybody listens (building it costs ~100 header tuples). */
  emitChannel(name: string, ch: Channel, parts?: ChannelEventParts): void {
    if (!this.bus.wants(name, ch.uuid)) {
      this.bus.fired++;
      return;
    }
    this.bus.publish(this.events.channel(name, ch, parts));
  }

  emit(ev: FsEvent): void {
    this.bus.publish(ev);
  }

  /** PRIVATE_COMMAND: the sendmsg headers lead, then the core/channel blocks. */
  emitPrivateCommand(ch: Channel, msg: SendMsg): void {
    if (!this.bus.wants('PRIVATE_COMMAND', ch.uuid)) return;
    const lead: Header[] = [['Command', msg.commandLine], ...msg.headers];
    this.bus.publish(this.events.channel('PRIVATE_COMMAND', ch, { lead, vars: false, body: msg.body }));
  }

  setState(ch: Channel, state: ChannelState): void {
    ch.state = state;
    ch.nextState = undefined;
    this.emitChannel('CHANNEL_STATE', ch, { vars: false, profile: state !== 'CS_NEW' });
  }

  setCallState(ch: Channel, cs: CallState): void {
    if (ch.callState === cs) return;
    const orig = ch.callState;
    ch.callState = cs;
    this.emitChannel('CHANNEL_CALLSTATE', ch, {
      vars: false,
      pre: [
        ['Original-Channel-Call-State', orig],
        ['Channel-Call-State-Number', String(ch.callStateNumber)],
      ],
    });
  }

  /** Create a channel (CS_NEW → CS_INIT, CHANNEL_CREATE). Returns undefined at max sessions. */
  createChannel(opts: {
    uuid?: string;
    name: string;
    direction: 'inbound' | 'outbound';
    profile: CallerProfile;
    vars?: Array<[string, string]>;
    transport?: ChannelTransport;
    quality?: MediaQuality;
    outgoing?: boolean;
  }): ChannelRuntime | undefined {
    if (this.channels.size >= this.opts.maxSessions || this.paused) return undefined;
    const ch = new Channel(opts.uuid ?? this.newUuid(), opts.name, opts.direction, opts.profile, Date.now());
    if (opts.quality) ch.quality = opts.quality;
    const rt: ChannelRuntime = {
      ch,
      exec: new Executor(this, ch),
      transport: opts.transport,
      dialplan: [],
      step: 0,
      destroyed: false,
      pendingTransfer: false,
      onDestroy: [],
      onHangupComplete: [],
      onHangup: [],
    };
    this.channels.set(ch.uuid, rt);
    this.sessionsSinceStartup++;
    if (this.channels.size > this.peakSessions) this.peakSessions = this.channels.size;
    ch.setVar('direction', opts.direction);
    ch.setVar('uuid', ch.uuid);
    ch.setVar('session_id', String(this.sessionsSinceStartup));
    for (const [k, v] of opts.vars ?? []) ch.setVar(k, v);
    ch.setVar('channel_name', ch.name);
    if (opts.outgoing) {
      ch.state = 'CS_NONE';
      ch.nextState = 'CS_INIT';
      this.emitChannel('CHANNEL_OUTGOING', ch, { vars: false });
    }
    else this.emitChannel('CHANNEL_STATE', ch, { vars: false, profile: false });
    // inbound legs have negotiated the codec before CS_INIT (CODEC events); outbound at answer
    if (opts.direction === 'inbound') ch.hasCodec = true;
    this.setState(ch, 'CS_INIT');
    ch.nextState = 'CS_ROUTING';
    this.emitChannel('CHANNEL_CREATE', ch);
    return rt;
  }

  /** Route an inbound channel through the dialplan and start executing. */
  route(rt: ChannelRuntime): void {
    const ch = rt.ch;
    // FreeSWITCH enters CS_ROUTING, then fires CALLSTATE RINGING before the STATE event
    ch.state = 'CS_ROUTING';
    this.setCallState(ch, 'RINGING');
    this.setState(ch, 'CS_ROUTING');
    const actions = this.opts.dialplan.match(ch.profile.destinationNumber, ch.profile.context);
    if (!actions) {
      this.hangup(ch, 'NO_ROUTE_DESTINATION');
      return;
    }
    this.setState(ch, 'CS_EXECUTE');
    rt.dialplan = actions;
    rt.step = 0;
    this.onExecutorIdle(ch);
  }

  /** Run an app by name on a channel; unknown apps hang up with DESTINATION_OUT_OF_ORDER like FS. */
  execApp(rt: ChannelRuntime, name: string, arg: string, opts: { appUuid?: string; locked?: boolean; msg?: SendMsg; loops?: number } = {}): void {
    const app = this.opts.apps.get(name);
    if (!app) {
      this.hangup(rt.ch, 'DESTINATION_OUT_OF_ORDER');
      // no EXECUTE_COMPLETE (as FS), but a waiting static socket still gets its reply
      opts.msg?.onDone?.();
      return;
    }
    rt.exec.exec(app, arg, opts);
  }

  /** The executor has nothing running: next dialplan step, end of dialplan, or hang-up finish. */
  onExecutorIdle(ch: Channel): void {
    const rt = this.channels.get(ch.uuid);
    if (!rt || rt.destroyed) return;
    if (ch.isHungUp) {
      this.finishHangup(rt);
      return;
    }
    if (rt.pendingTransfer) {
      rt.pendingTransfer = false;
      this.setState(ch, 'CS_ROUTING');
      if (rt.dialplan.length === 0) {
        this.hangup(ch, 'NO_ROUTE_DESTINATION');
        return;
      }
      this.setState(ch, 'CS_EXECUTE');
    }
    const next = rt.dialplan[rt.step];
    if (next) {
      rt.step++;
      this.execApp(rt, next.app, this.expand(ch, next.arg));
      return;
    }
    this.hangup(ch, 'NORMAL_CLEARING');
  }

  /** ${var} expansion in dialplan arguments. */
  expand(ch: Channel, arg: string): string {
    return arg.indexOf('${') < 0 ? arg : arg.replace(/\$\{([^}]+)\}/g, (_, k: string) => ch.getVar(k) ?? '');
  }

  /** Handle one dequeued sendmsg (execute / hangup / others ignored like FS without a handler). */
  runMessage(ch: Channel, msg: SendMsg): void {
    const rt = this.channels.get(ch.uuid);
    if (!rt) return;
    if (msg.command === 'execute' && msg.appName) {
      this.execApp(rt, msg.appName, msg.appArg ?? '', { appUuid: msg.eventUuid, locked: msg.eventLock, msg, loops: msg.loops });
    } else if (msg.command === 'hangup') {
      this.hangup(ch, msg.hangupCause || 'NORMAL_CLEARING');
      this.emitPrivateCommand(ch, msg);
      msg.onDone?.();
    } else {
      this.emitPrivateCommand(ch, msg);
      msg.onDone?.();
    }
  }

  answer(ch: Channel): void {
    if (ch.isAnswered || ch.isHungUp) return;
    ch.answeredMs = Date.now();
    ch.answerState = 'answered';
    ch.hasCodec = true;
    const rt = this.channels.get(ch.uuid);
    rt?.transport?.answer?.(ch);
    ch.setVar('endpoint_disposition', 'ANSWER');
    this.emitChannel('CHANNEL_ANSWER', ch);
    this.setCallState(ch, 'ACTIVE');
  }

  preAnswer(ch: Channel): void {
    if (ch.progressMediaMs || ch.isAnswered || ch.isHungUp) return;
    ch.progressMediaMs = Date.now();
    ch.answerState = 'early';
    this.channels.get(ch.uuid)?.transport?.preAnswer?.(ch);
    ch.setVar('endpoint_disposition', 'EARLY MEDIA');
    this.emitChannel('CHANNEL_PROGRESS_MEDIA', ch);
    this.setCallState(ch, 'EARLY');
  }

  ringReady(ch: Channel): void {
    if (ch.progressMs || ch.isAnswered || ch.isHungUp) return;
    ch.progressMs = Date.now();
    this.channels.get(ch.uuid)?.transport?.ring?.(ch);
    this.emitChannel('CHANNEL_PROGRESS', ch);
  }

  /** Hang a channel up with a cause: CHANNEL_HANGUP now, apps unwind, then HANGUP_COMPLETE/DESTROY. */
  hangup(ch: Channel, cause: string, opts: { fromTransport?: boolean; disposition?: string } = {}): void {
    if (ch.isHungUp) return;
    const rt = this.channels.get(ch.uuid);
    ch.hangupCause = cause;
    ch.nextState = 'CS_HANGUP';
    ch.hangupMs = Date.now();
    ch.answerState = 'hangup';
    if (opts.disposition) ch.setVar('sip_hangup_disposition', opts.disposition);
    if (!opts.fromTransport) rt?.transport?.hangup?.(ch, cause);
    hangupCauseVars(ch, cause);
    if (rt) for (const fn of rt.onHangup) fn();
    this.emitChannel('CHANNEL_HANGUP', ch);
    if (!rt) return;
    if (rt.exec.idle) this.finishHangup(rt);
    else rt.exec.hangupAll();
  }

  private finishHangup(rt: ChannelRuntime): void {
    if (rt.destroyed) return;
    rt.destroyed = true;
    const ch = rt.ch;
    this.setState(ch, 'CS_HANGUP');
    this.setCallState(ch, 'HANGUP');
    this.setState(ch, 'CS_REPORTING');
    reportingVars(ch);
    this.emitChannel('CHANNEL_HANGUP_COMPLETE', ch, { pre: [['Hangup-Cause', ch.hangupCause ?? 'NORMAL_CLEARING']] });
    for (const fn of rt.onHangupComplete) fn();
    ch.nextState = 'CS_DESTROY';
    this.emitChannel('CHANNEL_DESTROY', ch);
    ch.state = 'CS_DESTROY';
    this.emitChannel('CHANNEL_STATE', ch, { vars: false });
    this.channels.delete(ch.uuid);
    for (const fn of rt.onDestroy) fn();
  }

  /** A digit from the caller (SIP INFO, RFC 2833, or a test/load script). */
  dtmf(ch: Channel, digit: string, source: 'ENDPOINT' | 'RTP' | 'INBAND_AUDIO' = 'RTP'): void {
    const rt = this.channels.get(ch.uuid);
    if (!rt || ch.isHungUp) return;
    this.emitChannel('DTMF', ch, {
      vars: false,
      post: [
        ['DTMF-Digit', digit],
        ['DTMF-Duration', source === 'ENDPOINT' ? '1280' : '2240'],
        ['DTMF-Source', source],
      ],
    });
    rt.exec.dtmf(digit);
  }

  /** Send a channel back through the dialplan at a new extension (uuid_transfer / transfer app). */
  transfer(rt: ChannelRuntime, dest: string, dialplan = 'XML', context = rt.ch.profile.context): void {
    const ch = rt.ch;
    const prev = ch.getVar('transfer_history');
    const entry = `${Math.floor(Date.now() / 1000)}:${this.newUuid()}:bl_xfer:${dest}/${context}/${dialplan}`;
    ch.setVar('transfer_history', prev ? `${prev}|${entry}` : entry);
    ch.setVar('transfer_source', entry);
    ch.profile.destinationNumber = dest;
    ch.profile.context = context;
    ch.transferMs = Date.now();
    const actions = this.opts.dialplan.match(dest, context);
    rt.dialplan = actions ?? [];
    rt.step = 0;
    rt.pendingTransfer = true;
    // Running apps (park...) end like on break; the executor then goes idle and resumes routing.
    rt.exec.transferOut();
  }

  /** Figures for HEARTBEAT / status. */
  get sessionCount(): number {
    return this.channels.size;
  }

  close(): void {
    for (const rt of [...this.channels.values()]) this.hangup(rt.ch, 'SYSTEM_SHUTDOWN');
    this.timers.close();
  }
}
