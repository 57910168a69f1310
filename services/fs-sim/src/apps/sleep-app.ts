import type { TimerHandle } from '../core/timer-queue.ts';
import type { App } from './app.ts';

/** `sleep <ms>`: wait; queued messages run inside it. */
export const sleepApp: App = {
  name: 'sleep',
  parsesEvents: true,
  start(ctx) {
    const ms = Number.parseInt(ctx.arg, 10);
    let timer: TimerHandle | undefined = ctx.sw.timers.after((Number.isFinite(ms) ? ms : 0) / ctx.sw.opts.mediaScale, () => {
      timer = undefined;
      ctx.done();
    });
    const stop = (): void => {
      timer?.cancel();
      timer = undefined;
      ctx.done();
    };
    return { onHangup: stop, onBreak: stop };
  },
};
