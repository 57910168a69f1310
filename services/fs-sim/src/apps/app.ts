import type { Channel } from '../core/channel.ts';
import type { SwitchCore } from '../core/switch-core.ts';

/** What a running application exposes to the executor. All hooks are optional. */
export interface AppRun {
  /** A digit arrived while this app is the innermost one running. */
  onDtmf?(digit: string): void;
  /** The channel hung up: stop timers and call `done`. Default: done at once. */
  onHangup?(): void;
  /** `uuid_break`: stop media now. */
  onBreak?(): void;
  /** A nested app starts on top of this one (FreeSWITCH blocks the outer app meanwhile). */
  onPause?(): void;
  /** The nested app ended; this one is innermost again. */
  onResume?(): void;
}

/** Per-execution context handed to an application. */
export interface AppContext {
  readonly sw: SwitchCore;
  readonly ch: Channel;
  readonly arg: string;
  /** Finish the app; `response` sets current_application_response (Application-Response). */
  done(response?: string): void;
}

/** A dialplan application (answer, park, playback...). */
export interface App {
  readonly name: string;
  /**
   * True when, like FreeSWITCH apps that call switch_ivr_parse_all_events, queued sendmsg
   * messages run nested inside this app (park, playback, sleep, digit collection, bridge).
   */
  readonly parsesEvents: boolean;
  start(ctx: AppContext): AppRun;
}

/** Split an app argument on whitespace the way FreeSWITCH's switch_separate_string does (no quotes). */
export function splitArgs(arg: string): string[] {
  return arg.trim() === '' ? [] : arg.trim().split(/\s+/);
}
