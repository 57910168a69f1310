import type { CallInfo, FlowOutcome, LookupPort, StepEvent } from '@switchyard/ivr';
import type { EslChannelDriver } from '../driver/esl-channel-driver.ts';
import type { EslEvent } from '../esl/esl-event.ts';
import type { CallSnapshot } from '../ownership/call-snapshot.ts';
import type { CallLogEmitter } from './call-log-emitter.ts';
import { type CallMetricsPort, callEndFrom } from './call-outcome.ts';
import type { DialerLeg } from './dialer-leg.ts';
import type { FlowHandle, FlowRunner, FlowSource } from './flow-ports.ts';

/** What a failed flow does to the caller. */
export type FlowErrorAction = { kind: 'apology'; file: string } | { kind: 'transfer'; uri: string };

/** The services one session is composed of (narrow ports, shared by every session). */
export interface CallSessionDeps<F extends FlowHandle> {
  readonly flows: FlowSource<F>;
  readonly run: FlowRunner<F>;
  /** Named lookups flows call (`dnc.add`, `account.balance`...). */
  readonly lookups?: LookupPort;
  /** Stores the takeover snapshot; fire-and-forget. */
  saveSnapshot(s: CallSnapshot): void;
  readonly errorAction: FlowErrorAction;
  /** How long to wait for the hangup event after the flow hung up, before logging our own. */
  readonly hangupGraceMs: number;
  /** Call-end metrics (disposition, talk time, RTP quality). */
  readonly metrics?: CallMetricsPort;
  warn(obj: object, msg: string): void;
}

/** Where the call came from and how it is driven. */
export interface CallSessionInit {
  readonly callId: string;
  readonly node: string;
  readonly flavour: 'inbound' | 'outbound';
  readonly call: CallInfo;
  readonly startedAt: number;
  readonly answered: boolean;
  /** A campaign call the dialer handed over. */
  readonly dialer?: DialerLeg;
  /** Takeover: the first flow resumes in this state (the snapshot's) instead of its initial one. */
  readonly resumeState?: string;
}

/** How long a transferred call is followed for its hangup row (then let go unlogged). */
const TRANSFER_FOLLOW_MS = 4 * 3600_000;

/** Flow-to-flow transfers allowed per call (a loop guard). */
const MAX_FLOW_HOPS = 8;

/**
 * One call: runs its flow over the driver, forwards steps to the call log, keeps the
 * takeover snapshot fresh and ends politely when the flow fails. It composes a driver,
 * a call-log emitter and the shared ports; ownership and registry are the caller's.
 */
export class CallSession<F extends FlowHandle = FlowHandle> {
  readonly callId: string;
  readonly node: string;
  private readonly abort = new AbortController();
  private answered: boolean;
  /** Epoch ms we saw the answer (already up at start: taken as the start). */
  private answeredAt: number | null;
  private hangupLogged = false;
  private state = '';
  private transferred = false;
  private relinquished = false;
  private flow: F | undefined;
  /** Settles when the flow is over (the call may still be up, e.g. transferred). */
  readonly flowDone: Promise<string>;
  /** Settles when the channel is gone too (or could no longer be followed). */
  readonly done: Promise<string>;
  private finishFlow!: (reason: string) => void;
  private finish!: (reason: string) => void;
  private followNodeEvents: boolean;
  private channelGone!: () => void;
  private readonly gone: Promise<void>;

  constructor(
    private readonly init: CallSessionInit,
    readonly driver: EslChannelDriver,
    private readonly log: CallLogEmitter,
    private readonly deps: CallSessionDeps<F>,
  ) {
    this.callId = init.callId;
    this.node = init.node;
    this.answered = init.answered;
    this.answeredAt = init.answered ? init.startedAt : null;
    this.done = new Promise((r) => {
      this.finish = r;
    });
    this.flowDone = new Promise((r) => {
      this.finishFlow = r;
    });
    this.followNodeEvents = init.flavour === 'inbound';
    this.gone = new Promise((r) => {
      this.channelGone = r;
    });
  }

  /** Feeds a channel event; O(1). */
  handleEvent(ev: EslEvent, name = ev.name): void {
    if (name === 'CHANNEL_ANSWER' && !this.answered) {
      this.answered = true;
      this.answeredAt = Date.now();
      this.log.answered();
    }
    this.driver.handleEvent(ev, name);
    if (name === 'CHANNEL_HANGUP_COMPLETE' || name === 'CHANNEL_HANGUP') this.onChannelGone(ev, name);
  }

  /** Epoch ms the call started (stuck-call gauge). */
  get startedAt(): number {
    return this.init.startedAt;
  }

  /**
   * Whether events from the node's shared connection are for this session: always for
   * the inbound flavour; for the outbound flavour only once its socket is gone after a
   * transfer (until then the socket delivers them, and twice would double digits).
   */
  get acceptsNodeEvents(): boolean {
    return this.followNodeEvents;
  }

  /** The channel is gone without an event we saw (socket died, lost in an outage): log our cause. */
  lost(cause: string): void {
    if (this.transferred) {
      // Handed off: the channel lives on; follow its hangup on the node connection.
      this.followNodeEvents = true;
      return;
    }
    this.driver.markHungUp(cause);
    this.logHangup({ 'Hangup-Cause': cause });
    this.channelGone();
  }

  /**
   * Another engine owns the call now (our lease lapsed while we were cut off): stop
   * driving at once, without touching the channel or logging its end.
   */
  relinquish(): void {
    this.relinquished = true;
    this.driver.detach();
    this.abort.abort(new Error('call taken over by another engine'));
    this.channelGone();
  }

  /** Stops the flow (drain deadline, shutdown); `cause` ends the channel. */
  async terminate(cause: string): Promise<void> {
    this.abort.abort(new Error(cause));
    await this.driver.hangup({ disposition: 'engine', cause }).catch(() => {});
  }

  /** Runs `flow` (and any flow it transfers to) until the call ends; resolves the end reason. */
  async run(first: F): Promise<string> {
    let flow: F | undefined = first;
    let outcome: FlowOutcome | undefined;
    for (let hop = 0; flow && hop < MAX_FLOW_HOPS; hop++) {
      this.flow = flow;
      this.snapshot();
      outcome = await this.runOne(flow, hop === 0 ? this.init.resumeState : undefined);
      if (outcome.end !== 'transfer' || outcome.transfer?.kind !== 'flow') break;
      flow = this.deps.flows.get(outcome.transfer.flowId);
      if (!flow) outcome = { ...outcome, end: 'error', error: `unknown flow ${outcome.transfer.flowId}` };
    }
    const reason = await this.afterFlow(outcome);
    this.finishFlow(reason);
    await this.waitGone(reason === 'transferred' ? TRANSFER_FOLLOW_MS : this.deps.hangupGraceMs, reason !== 'transferred' && !this.relinquished);
    this.finish(reason);
    return reason;
  }

  private async runOne(flow: F, startState: string | undefined): Promise<FlowOutcome> {
    try {
      return await this.deps.run(flow, {
        driver: this.driver,
        call: this.init.call,
        signal: this.abort.signal,
        // Up already (takeover, dialer leg): verbs that need an answered channel skip `answer`.
        ...(this.answered ? { answered: true } : {}),
        ...(startState ? { startState } : {}),
        ...(this.deps.lookups ? { lookups: this.deps.lookups } : {}),
        onStep: (s) => this.onStep(s),
      });
    } catch (err) {
      // runFlow resolves by contract; a throw here is a bug in the flow layer, still not a crash.
      return { flowId: flow.id, flowVersion: flow.version, end: 'error', disposition: 'error', lastState: this.state, vars: {}, steps: 0, error: String(err) };
    }
  }

  private onStep(s: StepEvent): void {
    this.log.step(s);
    if (s.kind === 'state') {
      this.state = s.state;
      this.snapshot();
    } else if (s.kind === 'transfer') {
      this.log.transferred(describeTarget((s.detail as { target?: unknown }).target));
    } else if (s.kind === 'bridge') {
      const d = s.detail as { target?: unknown; outcome?: unknown };
      if (d.outcome === 'answered') this.log.bridged(String(d.target ?? ''));
    }
  }

  /** What happens once the flow is over: the call is handed off, hung up, or apologised to. */
  private async afterFlow(outcome: FlowOutcome | undefined): Promise<string> {
    if (!outcome) return 'no-flow';
    if (this.relinquished) return 'relinquished';
    if (outcome.end === 'transfer') {
      this.transferred = true;
      return 'transferred';
    }
    if (outcome.end === 'error' && isStall(outcome.error)) {
      // The node stopped answering for this call: no apology can be played; end it and say why.
      this.deps.warn({ callId: this.callId, node: this.node, error: outcome.error }, 'node stalled; ending the call');
      this.logHangup({ 'Hangup-Cause': 'NODE_STALLED' });
      await this.driver.hangup({ disposition: 'error', cause: 'NORMAL_TEMPORARY_FAILURE' }).catch(() => {});
    } else if (outcome.end === 'error') {
      this.deps.warn({ callId: this.callId, flow: outcome.flowId, error: outcome.error }, 'flow failed; ending the call gracefully');
      await this.recover();
    }
    if (outcome.end === 'aborted' && !this.driver.isHungUp) {
      await this.driver.hangup({ disposition: 'aborted', cause: 'NORMAL_CLEARING' }).catch(() => {});
    }
    if (!this.driver.isHungUp && outcome.end !== 'caller-hangup') {
      await this.driver.hangup({ disposition: outcome.disposition }).catch(() => {});
    }
    return this.transferred ? 'transferred' : outcome.end;
  }

  /** Apology prompt then hangup, or a transfer, per config; never throws. */
  private async recover(): Promise<void> {
    const a = this.deps.errorAction;
    try {
      if (a.kind === 'transfer') {
        await this.driver.transfer({ kind: 'sip', uri: a.uri });
        this.log.transferred(a.uri);
        this.transferred = true;
        return;
      }
      if (!this.driver.isHungUp) {
        await this.driver.play([{ id: 'apology', file: a.file, durationMs: 0 }]);
        await this.driver.hangup({ disposition: 'error', cause: 'NORMAL_TEMPORARY_FAILURE' });
      }
    } catch {
      await this.driver.hangup({ disposition: 'error', cause: 'NORMAL_TEMPORARY_FAILURE' }).catch(() => {});
    }
  }

  private async waitGone(ms: number, logIfSilent: boolean): Promise<void> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      t = setTimeout(r, ms);
    });
    await Promise.race([this.gone, timeout]);
    clearTimeout(t);
    if (logIfSilent && !this.hangupLogged) this.logHangup({ 'Hangup-Cause': this.driver.isHungUp ? 'NORMAL_CLEARING' : 'ENGINE_NO_HANGUP_EVENT' });
  }

  /** HANGUP_COMPLETE carries the billing/RTP variables; a bare HANGUP waits briefly for it. */
  private onChannelGone(ev: EslEvent, name: string): void {
    if (name === 'CHANNEL_HANGUP_COMPLETE') {
      this.logHangup(hangupVars(ev));
      this.channelGone();
      return;
    }
    const vars = hangupVars(ev);
    setTimeout(() => {
      this.logHangup(vars);
      this.channelGone();
    }, 1_000).unref();
  }

  private logHangup(vars: Record<string, string | undefined>): void {
    if (this.hangupLogged) return;
    this.hangupLogged = true;
    this.log.hungUp(vars);
    const i = this.init;
    this.deps.metrics?.callEnded(callEndFrom(vars, { direction: i.dialer ? 'outbound' : i.call.direction, node: i.node, answeredAt: this.answeredAt, now: Date.now() }));
  }

  private snapshot(): void {
    const f = this.flow;
    if (!f) return;
    const i = this.init;
    this.deps.saveSnapshot({
      callId: i.callId,
      node: i.node,
      flavour: i.flavour,
      direction: i.call.direction,
      from: i.call.from,
      to: i.call.to,
      flowId: f.id,
      flowVersion: f.version,
      startedAt: i.startedAt,
      state: this.state,
      answered: this.answered,
      seq: this.log.nextSeq,
      ...(i.dialer ? { dialer: i.dialer } : {}),
    });
  }
}

const HANGUP_HEADERS = [
  'Hangup-Cause',
  'variable_hangup_cause',
  'variable_sip_term_status',
  'variable_answer_uepoch',
  'variable_billmsec',
  'variable_mduration',
  'variable_progress_mediamsec',
  'variable_progressmsec',
  'variable_rtp_audio_in_mos',
  'variable_rtp_audio_in_jitter_max_variance',
  'variable_rtp_audio_in_media_packet_count',
  'variable_rtp_audio_in_skip_packet_count',
] as const;

function hangupVars(ev: EslEvent): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const h of HANGUP_HEADERS) out[h] = ev.get(h);
  return out;
}

function isStall(error: string | undefined): boolean {
  return error?.includes('AppStallError') === true;
}

/** `queue:sales`, `sip:1000@host`, `flow:main` for the call log. */
function describeTarget(t: unknown): string {
  if (!t || typeof t !== 'object') return String(t ?? '');
  const o = t as { kind?: string; queue?: string; uri?: string; flowId?: string };
  return `${o.kind ?? '?'}:${o.queue ?? o.uri ?? o.flowId ?? ''}`;
}
