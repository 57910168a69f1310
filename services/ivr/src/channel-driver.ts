/**
 * The ChannelDriver: the only way an IVR flow touches a call. The engine implements it
 * over ESL (FreeSWITCH); the simulator implements it in memory on a virtual clock. No ESL
 * types appear here on purpose — verbs describe *what* to do to the channel, drivers
 * decide how.
 *
 * Rules every implementation follows:
 * - Every method returns a Promise and takes an optional AbortSignal. Aborting stops the
 *   media operation (e.g. `uuid_break`) and rejects with the signal's reason.
 * - When the far end hangs up, every pending and later call rejects with
 *   {@link ChannelHangupError}, and a `hangup` event is delivered to listeners.
 * - DTMF that arrives while nothing collects is buffered (bounded, like FreeSWITCH's
 *   digit queue) and consumed by the next `playAndGetDigits`; a digit that barges in on
 *   `play` stays in that buffer too.
 */

/** A prompt resolved from the catalogue: the driver plays `file`; simulators use `durationMs`. */
export interface PromptMedia {
  /** Catalogue id, e.g. `welcome`. */
  readonly id: string;
  /** Path relative to the node's sounds directory, e.g. `ivr/welcome.wav`. */
  readonly file: string;
  /** Length of the recording; the in-memory driver plays for this long. */
  readonly durationMs: number;
}

/** Options shared by every driver call. */
export interface DriverCallOptions {
  /** Aborting cancels the operation (a hangup or a timed-out state aborts what is pending). */
  readonly signal?: AbortSignal;
}

/** Options of {@link ChannelDriver.play}. */
export interface PlayOptions extends DriverCallOptions {
  /** Stop playing when the caller presses a key (the key stays buffered). */
  readonly bargeIn?: boolean;
}

/** What happened to a `play`. */
export interface PlayResult {
  /** `true` when every prompt played to its end. */
  readonly completed: boolean;
  /** The digit that interrupted playback, if `bargeIn` was set and one arrived. */
  readonly bargedInWith?: string;
}

/** One attempt at collecting digits: play `prompts` (bargeable), then wait for keys. */
export interface CollectRequest {
  /** Played first; empty for a pure collect. A key press stops them. */
  readonly prompts: readonly PromptMedia[];
  readonly minDigits: number;
  readonly maxDigits: number;
  /** A key that ends input early and is not part of the digits (`#` usually). */
  readonly terminator?: string;
  /** Time allowed between two keys once the caller started typing. */
  readonly interDigitTimeoutMs: number;
  /** Time allowed for the first key, counted from the end of the prompts. */
  readonly noInputTimeoutMs: number;
}

/** How a collect attempt ended. */
export type CollectEnd = 'max-digits' | 'terminator' | 'inter-digit-timeout' | 'no-input';

/** Result of {@link ChannelDriver.playAndGetDigits}: the digits (maybe fewer than `minDigits`) and why it stopped. */
export interface CollectResult {
  readonly digits: string;
  readonly end: CollectEnd;
}

/** Something to speak with the node's say engine. */
export type SayRequest =
  | { readonly kind: 'digits'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  /** `value` is an ISO-8601 date or date-time. */
  | { readonly kind: 'date'; readonly value: string };

/** Where a transfer sends the call. A `flow` transfer hands the call to another IVR flow. */
export type TransferTarget =
  | { readonly kind: 'sip'; readonly uri: string }
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'flow'; readonly flowId: string };

/** Bridge the caller to another leg and stay in control until that leg ends or fails. */
export interface BridgeRequest {
  /** SIP URI of the other leg. */
  readonly target: string;
  readonly timeoutMs: number;
  readonly callerId?: string;
}

/** How a bridge ended. `answered` resolves once the bridged conversation is over. */
export interface BridgeResult {
  readonly outcome: 'answered' | 'busy' | 'no-answer' | 'failed';
  /** Hangup cause from the switch, e.g. `USER_BUSY`. */
  readonly cause?: string;
}

/** How the flow ends the call. */
export interface HangupRequest {
  /** Business disposition for the call log, e.g. `completed`, `opted-out`. */
  readonly disposition: string;
  /** Q.850 cause name; `NORMAL_CLEARING` when absent. */
  readonly cause?: string;
}

/** Channel events the runtime listens to. `at` is the driver's clock, in ms since the epoch. */
export type ChannelEvent =
  | { readonly type: 'dtmf'; readonly digit: string; readonly at: number }
  | { readonly type: 'hangup'; readonly cause: string; readonly at: number };

/**
 * The port between an IVR flow and one call leg.
 *
 * @example
 * async function greet(driver: ChannelDriver, welcome: PromptMedia, signal: AbortSignal) {
 *   await driver.answer({ signal });
 *   await driver.play([welcome], { bargeIn: true, signal });
 * }
 */
export interface ChannelDriver {
  /** The leg id (FreeSWITCH Unique-ID for ESL drivers). */
  readonly callId: string;
  answer(opts?: DriverCallOptions): Promise<void>;
  play(prompts: readonly PromptMedia[], opts?: PlayOptions): Promise<PlayResult>;
  /** One collect attempt; retries and invalid-input prompts are the verb's business. */
  playAndGetDigits(req: CollectRequest, opts?: DriverCallOptions): Promise<CollectResult>;
  say(req: SayRequest, opts?: DriverCallOptions): Promise<void>;
  /** Hands the call elsewhere; the flow ends once this resolves. */
  transfer(target: TransferTarget, opts?: DriverCallOptions): Promise<void>;
  bridge(req: BridgeRequest, opts?: DriverCallOptions): Promise<BridgeResult>;
  /** Sets a channel variable (visible in CDRs and to the dialplan). */
  setVar(name: string, value: string, opts?: DriverCallOptions): Promise<void>;
  hangup(req: HangupRequest, opts?: DriverCallOptions): Promise<void>;
  /** Subscribes to channel events; returns the unsubscribe function. */
  onEvent(listener: (event: ChannelEvent) => void): () => void;
}

/** Rejection of every pending and later driver call once the far end has hung up. */
export class ChannelHangupError extends Error {
  override readonly name = 'ChannelHangupError';
  readonly hangupCause: string;
  constructor(hangupCause: string) {
    // A hangup is routine (every call ends), not a bug: its stack is never read and costs
    // more to capture than the rest of the rejection, so none is taken.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`channel hung up (${hangupCause})`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.hangupCause = hangupCause;
  }
}

/** `true` if `err` means the channel is gone (so the flow should stop, not branch). */
export function isChannelHangup(err: unknown): err is ChannelHangupError {
  return err instanceof ChannelHangupError;
}
