import type { Channel } from '../core/channel.ts';
import type { SwitchCore } from '../core/switch-core.ts';
import type { TimerHandle } from '../core/timer-queue.ts';
import { MediaPlayer } from './media-player.ts';

/** How a collection round ended: FreeSWITCH's read_result values. */
export type ReadResult = 'success' | 'timeout' | 'failure';

export interface CollectOptions {
  min: number;
  max: number;
  prompt: string;
  /** First-digit timeout after the prompt (ms). */
  timeoutMs: number;
  /** Inter-digit timeout (ms); defaults to timeoutMs. */
  digitTimeoutMs: number;
  terminators: string;
}

/**
 * One switch_ivr_read round: play the prompt (a digit stops it and counts), then collect
 * until max digits or a terminator (`success`) or a timeout (`timeout`, digits kept).
 */
export class DigitCollector {
  private digits = '';
  private player: MediaPlayer | undefined;
  private timer: TimerHandle | undefined;
  private finished = false;
  private paused = false;

  constructor(
    private readonly sw: SwitchCore,
    private readonly ch: Channel,
    private readonly opts: CollectOptions,
    private readonly onEnd: (result: ReadResult, digits: string, terminator: string | undefined) => void,
  ) {}

  start(): void {
    if (this.opts.prompt) {
      this.player = new MediaPlayer(this.sw, this.ch, this.opts.prompt, () => {
        this.player = undefined;
        if (!this.finished) this.arm(this.digits.length === 0 ? this.opts.timeoutMs : this.opts.digitTimeoutMs);
      });
      this.player.start();
    } else this.arm(this.opts.timeoutMs);
  }

  digit(d: string): void {
    if (this.finished) return;
    if (this.opts.terminators.includes(d)) {
      this.finish('success', d);
      return;
    }
    this.digits += d;
    if (this.player && !this.player.done) this.player.stop('digit');
    if (this.digits.length >= this.opts.max) {
      this.finish('success', undefined);
      return;
    }
    if (!this.player) this.arm(this.opts.digitTimeoutMs);
  }

  hangup(): void {
    if (this.player && !this.player.done) this.player.stop('hangup');
    this.finish('failure', undefined);
  }

  pause(): void {
    this.paused = true;
    this.player?.pause();
  }

  resume(): void {
    this.paused = false;
    this.player?.resume();
  }

  private arm(ms: number): void {
    this.timer?.cancel();
    this.timer = this.sw.timers.after(ms / this.sw.opts.mediaScale, () => {
      this.timer = undefined;
      if (!this.paused) this.finish('timeout', undefined);
    });
  }

  private finish(result: ReadResult, terminator: string | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.timer?.cancel();
    if (this.player && !this.player.done) this.player.stop('digit');
    this.onEnd(result, this.digits, terminator);
  }
}

/** Parse a millisecond argument, falling back when missing or not a number. */
export function msArg(v: string | undefined, fallback: number): number {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
