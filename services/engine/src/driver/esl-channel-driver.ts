import {
  type BridgeRequest,
  type BridgeResult,
  type ChannelDriver,
  type ChannelEvent,
  ChannelHangupError,
  type CollectRequest,
  type CollectResult,
  type DriverCallOptions,
  type HangupRequest,
  type PlayOptions,
  type PlayResult,
  type PromptMedia,
  type SayRequest,
  type TransferTarget,
} from '@switchyard/ivr';
import { type EslEvent, eventFromRecord } from '../esl/esl-event.ts';
import type { ChannelControl } from './channel-control.ts';
import { DigitBuffer } from './digit-buffer.ts';
import { type AppLatencyObserver, PendingApps } from './pending-apps.ts';
import { bridgeDialString, bridgeOutcome, fileString, sayArg, transferArg } from './fs-app-args.ts';

/** Options of {@link EslChannelDriver}. */
export interface EslChannelDriverOptions {
  /** Margin past an app's expected length (a prompt's catalogued duration) before the watchdog gives up on the node. */
  appTimeoutMs: number;
  /** Dialplan context for `transfer` (queues and SIP targets). */
  transferContext?: string;
  now?: () => number;
  /** Latency of every completed app (metrics); called synchronously, must not throw. */
  onAppCompleted?: AppLatencyObserver;
}

/**
 * The ChannelDriver over ESL. Which socket carries the commands is the
 * {@link ChannelControl}'s business (inbound-by-UUID or outbound-socket); events reach
 * the driver through {@link handleEvent}, so the IVR cannot tell the flavours apart.
 */
export class EslChannelDriver implements ChannelDriver {
  private readonly digits = new DigitBuffer();
  private readonly pending: PendingApps;
  private readonly listeners = new Set<(e: ChannelEvent) => void>();
  private hungUp: string | null = null;
  private detached = false;
  private terminators: 'any' | 'none' | null = null;
  /** The bargeable prompt playing now: the caller's next key ends it. */
  private bargeApp: string | null = null;
  /** The flow's own signal, watched once per call (not once per command). */
  private primarySignal: AbortSignal | undefined;
  private readonly now: () => number;

  constructor(
    readonly callId: string,
    private readonly control: ChannelControl,
    private readonly o: EslChannelDriverOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.pending = new PendingApps(o.onAppCompleted);
  }

  /** Feeds one channel event (DTMF, execute complete, hangup). O(1). Returns false if it was not for us. */
  handleEvent(ev: EslEvent, name = ev.name): boolean {
    switch (name) {
      case 'DTMF': {
        const d = ev.get('DTMF-Digit');
        if (!d || this.hungUp) return false;
        const at = this.now();
        this.digits.push(d, at);
        // The switch stops a prompt on any key (playback_terminators=any): react to the key
        // now, not after the stopped prompt's completion; the next app queues behind it.
        if (this.bargeApp !== null) {
          this.pending.settle(this.bargeApp, BARGED_IN);
          this.bargeApp = null;
        }
        this.emit({ type: 'dtmf', digit: d, at });
        return true;
      }
      case 'CHANNEL_EXECUTE_COMPLETE': {
        const appUuid = ev.get('Application-UUID');
        if (appUuid !== undefined && appUuid === this.bargeApp) this.bargeApp = null;
        return this.pending.complete(appUuid, ev);
      }
      case 'CHANNEL_HANGUP':
      case 'CHANNEL_HANGUP_COMPLETE':
        this.markHungUp(ev.get('Hangup-Cause') ?? 'NORMAL_CLEARING');
        return true;
      default:
        return false;
    }
  }

  /** The channel is gone (hangup event, or its socket died): everything pending rejects. */
  markHungUp(cause: string): void {
    if (this.hungUp) return;
    this.hungUp = cause;
    this.pending.failAll(new ChannelHangupError(cause));
    this.emit({ type: 'hangup', cause, at: this.now() });
  }

  /**
   * After an ESL reconnect the channel is still there but completions sent during the
   * outage are lost: treat what was pending as done, so the flow carries on.
   */
  resync(): void {
    this.terminators = null;
    this.pending.resolveAll(eventFromRecord({ 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', 'Application-Response': 'RESYNC' }));
  }

  /** Stops sending anything to the channel (another engine drives it now); pending work is dropped on abort. */
  detach(): void {
    this.detached = true;
  }

  get isHungUp(): boolean {
    return this.hungUp !== null;
  }

  /** Apps awaiting completion (node health: commands in flight). */
  get inFlight(): number {
    return this.pending.size;
  }

  async answer(opts?: DriverCallOptions): Promise<void> {
    await this.exec('answer', '', opts?.signal);
  }

  // Not async (see exec): a prompt's promise chain lives as long as the prompt plays.
  play(prompts: readonly PromptMedia[], opts?: PlayOptions): Promise<PlayResult> {
    if (prompts.length === 0) return Promise.resolve(PLAYED);
    const barge = opts?.bargeIn === true;
    if (barge && this.digits.size > 0) return Promise.resolve({ completed: false, bargedInWith: this.digits.peek() as string });
    const before = this.digits.received;
    let done: Promise<EslEvent>;
    try {
      this.setTerminators(barge ? 'any' : 'none');
      // Watchdog: a prompt may take its catalogued length plus the margin, not forever.
      const ms = prompts.reduce((t, p) => t + Math.max(0, p.durationMs), 0);
      done = this.exec('playback', fileString(prompts), opts?.signal, ms + this.o.appTimeoutMs, barge);
    } catch (err) {
      return Promise.reject(err);
    }
    return barge ? done.then(() => this.bargedIn(before)) : done.then(played);
  }

  /** A bargeable prompt's result: barged in if a key came while it played (`before`: keys received when it started). */
  private bargedIn(before: number): PlayResult {
    if (this.digits.received > before && this.digits.size > 0) return { completed: false, bargedInWith: this.digits.peek() as string };
    return PLAYED;
  }

  async playAndGetDigits(req: CollectRequest, opts?: DriverCallOptions): Promise<CollectResult> {
    const signal = opts?.signal;
    if (req.prompts.length > 0) await this.play(req.prompts, { bargeIn: true, ...(signal ? { signal } : {}) });
    let digits = '';
    for (;;) {
      this.throwIfGone(signal);
      const wait = digits.length === 0 ? req.noInputTimeoutMs : req.interDigitTimeoutMs;
      const d = await this.digits.next(wait, signal);
      this.throwIfGone(signal);
      if (d === null) return { digits, end: digits.length === 0 ? 'no-input' : 'inter-digit-timeout' };
      if (req.terminator && d === req.terminator) return { digits, end: 'terminator' };
      digits += d;
      if (digits.length >= req.maxDigits) return { digits, end: 'max-digits' };
    }
  }

  async say(req: SayRequest, opts?: DriverCallOptions): Promise<void> {
    await this.exec('say', sayArg(req), opts?.signal);
  }

  async transfer(target: TransferTarget, opts?: DriverCallOptions): Promise<void> {
    // A flow-to-flow transfer stays on this channel: the session starts the next flow.
    if (target.kind === 'flow') return;
    await this.exec('transfer', transferArg(target, this.o.transferContext ?? 'default'), opts?.signal);
  }

  async bridge(req: BridgeRequest, opts?: DriverCallOptions): Promise<BridgeResult> {
    const ev = await this.exec('bridge', bridgeDialString(req), opts?.signal, req.timeoutMs + this.o.appTimeoutMs);
    return bridgeOutcome(ev);
  }

  async setVar(name: string, value: string, opts?: DriverCallOptions): Promise<void> {
    await this.exec('set', `${name}=${value}`, opts?.signal);
  }

  async hangup(req: HangupRequest, _opts?: DriverCallOptions): Promise<void> {
    if (this.hungUp || this.detached) return;
    await this.control.hangup(req.cause ?? 'NORMAL_CLEARING');
  }

  onEvent(listener: (event: ChannelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs one app: resolves with its CHANNEL_EXECUTE_COMPLETE (correlated by Application-UUID).
   * Not async: a call waits on a prompt for seconds, and each suspended frame on that chain
   * is kept (and copied by the GC) for as long; the caller awaits `done` itself.
   */
  private exec(app: string, arg: string, signal?: AbortSignal, timeoutMs = this.o.appTimeoutMs, bargeable = false): Promise<EslEvent> {
    this.throwIfGone(signal);
    const { appUuid, done } = this.pending.open(app, timeoutMs, signal);
    const onAbort = signal ? this.watch(signal, appUuid) : undefined;
    if (bargeable) this.bargeApp = appUuid;
    // It may settle (abort, hangup) while the command is still being sent.
    this.control.sendExecute(app, arg, appUuid).catch((err: unknown) => {
      // Link down: the app may or may not run; the reconnect's resync (or the watchdog) settles it.
      if (isLinkDown(err) && !this.hungUp) return;
      this.pending.fail(appUuid, this.hungUp ? new ChannelHangupError(this.hungUp) : err);
    });
    if (onAbort === undefined) return done;
    // A state's own signal (rare): its listener goes when the app is over.
    return done.finally(() => signal?.removeEventListener('abort', onAbort));
  }

  /**
   * An abort stops the media and fails the apps run under that signal. The flow's own
   * signal gets one listener for the whole call; another (a state's own) one per app,
   * removed when the app is over (returned).
   */
  private watch(signal: AbortSignal, appUuid: string): (() => void) | undefined {
    if (this.primarySignal === undefined) {
      this.primarySignal = signal;
      signal.addEventListener('abort', () => this.aborted(signal), { once: true });
    }
    if (signal === this.primarySignal) return undefined;
    const onAbort = () => {
      if (!this.detached) void this.control.breakMedia().catch(() => {});
      this.pending.fail(appUuid, signal.reason ?? new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return onAbort;
  }

  private aborted(signal: AbortSignal): void {
    if (this.pending.failSignal(signal, signal.reason ?? new Error('aborted')) > 0 && !this.detached) void this.control.breakMedia().catch(() => {});
  }

  /**
   * `playback_terminators` only changes when barge-in does (saves a command per prompt). Sent
   * ahead of the playback with event-lock on the same socket, so the switch runs it first:
   * neither its reply nor its completion is waited for.
   */
  private setTerminators(v: 'any' | 'none'): void {
    if (this.terminators === v) return;
    this.terminators = v;
    const { appUuid, done } = this.pending.open('set', this.o.appTimeoutMs);
    done.catch(() => {});
    this.control.sendExecute('set', `playback_terminators=${v}`, appUuid).catch((err: unknown) => {
      // Not known to be set: the next prompt sends it again. The playback behind it fails the same way.
      this.terminators = null;
      this.pending.fail(appUuid, err);
    });
  }

  private throwIfGone(signal?: AbortSignal): void {
    if (this.hungUp) throw new ChannelHangupError(this.hungUp);
    if (this.detached) throw new Error('driver detached: another engine drives this call');
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
  }

  private emit(e: ChannelEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A listener's fault must not break event delivery.
      }
    }
  }
}

const PLAYED: PlayResult = Object.freeze({ completed: true });
const played = (): PlayResult => PLAYED;

/** What a prompt the caller barged into resolves with (its real completion is absorbed later). */
const BARGED_IN = eventFromRecord({ 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', 'Application-Response': 'BARGED_IN' });

function isLinkDown(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'disconnected' || code === 'not-connected';
}
