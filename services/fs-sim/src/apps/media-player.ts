import type { Channel } from '../core/channel.ts';
import type { Header } from '../core/event.ts';
import type { SwitchCore } from '../core/switch-core.ts';
import type { TimerHandle } from '../core/timer-queue.ts';

/** How a prompt ended, as PLAYBACK_STOP's Playback-Status says. */
export type PlayStatus = 'done' | 'break' | 'hangup' | 'notfound' | 'digit';

/**
 * One simulated prompt: PLAYBACK_START, a timer for the file's duration (paused while a nested
 * app runs), PLAYBACK_STOP and the playback_* variables. Digits can stop it (`stopOnDigit`).
 */
export class MediaPlayer {
  private timer: TimerHandle | undefined;
  private remaining = 0;
  private startedAt = 0;
  private playedMs = 0;
  private finished = false;

  constructor(
    private readonly sw: SwitchCore,
    private readonly ch: Channel,
    private readonly path: string,
    private readonly onEnd: (status: PlayStatus) => void,
  ) {}

  start(): void {
    const ms = this.sw.mediaDurationMs(this.path);
    if (ms === undefined) {
      this.finished = true;
      this.onEnd('notfound');
      return;
    }
    this.sw.emitChannel('PLAYBACK_START', this.ch, { post: this.fileHeaders() });
    this.remaining = ms;
    this.resume();
  }

  /** Stop the clock while a nested app runs on the channel. */
  pause(): void {
    if (!this.timer || this.finished) return;
    this.timer.cancel();
    this.timer = undefined;
    const ran = Date.now() - this.startedAt;
    this.playedMs += ran;
    this.remaining = Math.max(0, this.remaining - ran);
  }

  resume(): void {
    if (this.finished || this.timer) return;
    this.startedAt = Date.now();
    if (this.remaining === Number.POSITIVE_INFINITY) {
      this.timer = { cancel() {} };
      return;
    }
    this.timer = this.sw.timers.after(this.remaining / this.sw.opts.mediaScale, () => {
      this.timer = undefined;
      this.playedMs += this.remaining;
      this.stop('done');
    });
  }

  /** End the prompt early (break, digit, hangup). */
  stop(status: PlayStatus): void {
    if (this.finished) return;
    if (this.timer) {
      this.timer.cancel();
      this.timer = undefined;
      this.playedMs += Date.now() - this.startedAt;
    }
    this.finished = true;
    const samples = Math.round(this.playedMs * 8);
    this.ch.setVar('playback_last_offset_pos', String(samples));
    this.ch.setVar('playback_seconds', String(Math.floor(this.playedMs / 1000)));
    this.ch.setVar('playback_ms', String(Math.round(this.playedMs)));
    this.ch.setVar('playback_samples', String(samples));
    const post = this.fileHeaders();
    post.push(['Playback-Status', status === 'digit' ? 'done' : status === 'hangup' ? 'break' : status]);
    this.sw.emitChannel('PLAYBACK_STOP', this.ch, { post });
    this.onEnd(status);
  }

  get done(): boolean {
    return this.finished;
  }

  private fileHeaders(): Header[] {
    const out: Header[] = [];
    const m = /^([a-z_]+):\/\//.exec(this.path);
    if (m?.[1]) out.push(['Playback-File-Type', m[1]]);
    out.push(['Playback-File-Path', this.path]);
    return out;
  }
}
