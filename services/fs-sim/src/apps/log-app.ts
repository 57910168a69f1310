import type { App } from './app.ts';

/** `log [level] message`: no media, completes at once. */
export const logApp: App = {
  name: 'log',
  parsesEvents: false,
  start(ctx) {
    ctx.done();
    return {};
  },
};
