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
} from '../channel-driver.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** What the in-memory driver did, in order (the simulator prints it). */
export type DriverAction =
  | { readonly at: number; readonly op: 'answer' | 'hangup-by-caller' }
  | { readonly at: number; readonly op: 'play'; readonly prompts: string[] }
  | { readonly at: number; readonly op: 'say'; readonly req: SayRequest }
  | { readonly at: number; readonly op: 'transfer'; readonly target: TransferTarget }
  | { readonly at: number; readonly op: 'bridge'; readonly target: string }
  | { readonly at: number; readonly op: 'set-var'; readonly name: string; readonly value: string }
  | { readonly at: number; readonly op: 'hangup'; readonly req: HangupRequest };

/** Options of {@link MemoryDriver}. */
export interface MemoryDriverOptions {
  readonly callId?: string;
  /** How a bridge ends; `answered` by default. */
  readonly bridgeOutcome?: (req: BridgeRequest) => BridgeResult;
  /** Time a `say` takes per character of its value. */
  readonly sayMsPerChar?: number;
}

// FreeSWITCH keeps a bounded digit queue; so do we.
const MAX_BUFFERED_DIGITS = 64;

interface Waiter {
  onDigit(d: string): void;
  fail(err: unknown): void;
}

/**
 * A ChannelDriver in memory on a {@link VirtualClock}: prompts last their catalogue
 * duration, key presses come from {@link press}, timeouts fire on virtual time.
 */
export class MemoryDriver implements ChannelDriver {
  readonly callId: string;
  readonly actions: DriverAction[] = [];
  private readonly buffer: string[] = [];
  private readonly listeners = new Set<(e: ChannelEvent) => void>();
  private waiter: Waiter | null = null;
  private gone: string | null = null;

  constructor(
    private readonly clock: VirtualClock,
    private readonly opts: MemoryDriverOptions = {},
  ) {
    this.callId = opts.callId ?? 'sim-call';
  }

  /** The caller presses a key. */
  press(digit: string): void {
    if (this.gone) return;
    this.emit({ type: 'dtmf', digit, at: this.clock.now() });
    if (this.waiter) this.waiter.onDigit(digit);
    else if (this.buffer.length < MAX_BUFFERED_DIGITS) this.buffer.push(digit);
  }

  /** The caller hangs up: pending work rejects with ChannelHangupError. */
  callerHangup(cause = 'NORMAL_CLEARING'): void {
    if (this.gone) return;
    this.gone = cause;
    this.actions.push({ at: this.clock.now(), op: 'hangup-by-caller' });
    this.emit({ type: 'hangup', cause, at: this.clock.now() });
    this.waiter?.fail(new ChannelHangupError(cause));
  }

  onEvent(listener: (e: ChannelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async answer(opts?: DriverCallOptions): Promise<void> {
    this.check(opts);
    this.actions.push({ at: this.clock.now(), op: 'answer' });
  }

  async play(prompts: readonly PromptMedia[], opts: PlayOptions = {}): Promise<PlayResult> {
    this.check(opts);
    this.actions.push({ at: this.clock.now(), op: 'play', prompts: prompts.map((p) => p.id) });
    if (opts.bargeIn && this.buffer.length > 0) return { completed: false, bargedInWith: this.buffer[0]! };
    const total = prompts.reduce((s, p) => s + p.durationMs, 0);
    const digit = await this.waitFor(total, opts.signal, opts.bargeIn === true, true);
    return digit === null ? { completed: true } : { completed: false, bargedInWith: digit };
  }

  async playAndGetDigits(req: CollectRequest, opts?: DriverCallOptions): Promise<CollectResult> {
    if (req.prompts.length > 0) await this.play(req.prompts, { bargeIn: true, signal: opts?.signal });
    this.check(opts);
    let digits = '';
    for (;;) {
      const next = this.buffer.shift() ?? (await this.waitFor(digits === '' ? req.noInputTimeoutMs : req.interDigitTimeoutMs, opts?.signal, true, false));
      if (next === null) return { digits, end: digits === '' ? 'no-input' : 'inter-digit-timeout' };
      if (req.terminator && next === req.terminator) return { digits, end: 'terminator' };
      digits += next;
      if (digits.length >= req.maxDigits) return { digits, end: 'max-digits' };
    }
  }

  async say(req: SayRequest, opts?: DriverCallOptions): Promise<void> {
    this.check(opts);
    this.actions.push({ at: this.clock.now(), op: 'say', req });
    await this.waitFor(String(req.value).length * (this.opts.sayMsPerChar ?? 400), opts?.signal, false, false);
  }

  async transfer(target: TransferTarget, opts?: DriverCallOptions): Promise<void> {
    this.check(opts);
    this.actions.push({ at: this.clock.now(), op: 'transfer', target });
  }

  async bridge(req: BridgeRequest, opts?: DriverCallOptions): Promise<BridgeResult> {
    this.check(opts);
    this.actions.push({ at: this.clock.now(), op: 'bridge', target: req.target });
    return this.opts.bridgeOutcome?.(req) ?? { outcome: 'answered' };
  }

  async setVar(name: string, value: string, opts?: DriverCallOptions): Promise<void> {
    this.check(opts);
    this.actions.push({ at: this.clock.now(), op: 'set-var', name, value });
  }

  async hangup(req: HangupRequest, opts?: DriverCallOptions): Promise<void> {
    this.check(opts);
    this.actions.push({ at: this.clock.now(), op: 'hangup', req });
    this.gone = req.cause ?? 'NORMAL_CLEARING';
  }

  private check(opts?: DriverCallOptions): void {
    if (this.gone) throw new ChannelHangupError(this.gone);
    if (opts?.signal?.aborted) throw opts.signal.reason;
  }

  /**
   * Waits `ms` of virtual time. If `interruptible`, a key press ends the wait and
   * resolves with the digit; `keep` leaves that digit buffered (barge-in). `null` = time up.
   */
  private waitFor(ms: number, signal: AbortSignal | undefined, interruptible: boolean, keep: boolean): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiter = null;
      };
      const timer = this.clock.setTimeout(() => {
        done();
        resolve(null);
      }, ms);
      const onAbort = () => {
        done();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        onDigit: (d) => {
          if (!interruptible) {
            if (this.buffer.length < MAX_BUFFERED_DIGITS) this.buffer.push(d);
            return;
          }
          done();
          if (keep) this.buffer.push(d);
          resolve(d);
        },
        fail: (err) => {
          done();
          reject(err);
        },
      };
    });
  }

  private emit(e: ChannelEvent): void {
    for (const l of this.listeners) l(e);
  }
}
