import type { App } from './app.ts';
import { MediaPlayer } from './media-player.ts';

/**
 * `playback <file>`: PLAYBACK_START/STOP around the file's duration; Application-Response is
 * `FILE PLAYED` (even when broken off, as the captures show) or `FILE NOT FOUND`.
 * Digits stop it only when `playback_terminators` lists them (default: none).
 */
export const playbackApp: App = {
  name: 'playback',
  parsesEvents: true,
  start(ctx) {
    const player = new MediaPlayer(ctx.sw, ctx.ch, ctx.arg.trim(), (status) => {
      ctx.done(status === 'notfound' ? 'FILE NOT FOUND' : 'FILE PLAYED');
    });
    player.start();
    return {
      onDtmf(digit) {
        const terms = ctx.ch.getVar('playback_terminators') ?? '';
        if (terms === 'any' || terms.includes(digit)) {
          ctx.ch.setVar('playback_terminator_used', digit);
          player.stop('digit');
        }
      },
      onBreak: () => player.stop('break'),
      onHangup: () => {
        if (player.done) ctx.done();
        else player.stop('hangup');
      },
      onPause: () => player.pause(),
      onResume: () => player.resume(),
    };
  },
};
