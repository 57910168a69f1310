import type { App } from './app.ts';

/** `ring_ready`: 180 Ringing, CHANNEL_PROGRESS. */
export const ringReadyApp: App = {
  name: 'ring_ready',
  parsesEvents: false,
  start(ctx) {
    ctx.sw.ringReady(ctx.ch);
    ctx.done();
    return {};
  },
};
