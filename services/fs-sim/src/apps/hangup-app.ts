import type { App } from './app.ts';

/** `hangup [cause]`: hang up with the cause (default NORMAL_CLEARING). */
export const hangupApp: App = {
  name: 'hangup',
  parsesEvents: false,
  start(ctx) {
    ctx.sw.hangup(ctx.ch, ctx.arg.trim() || 'NORMAL_CLEARING');
    ctx.done();
    return {};
  },
};
