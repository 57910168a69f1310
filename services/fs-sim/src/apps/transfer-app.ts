import type { App } from './app.ts';
import { splitArgs } from './app.ts';

/** `transfer <dest> [dialplan] [context]`: re-route the channel. */
export const transferApp: App = {
  name: 'transfer',
  parsesEvents: false,
  start(ctx) {
    const [dest, dialplan, context] = splitArgs(ctx.arg);
    const rt = ctx.sw.runtime(ctx.ch.uuid);
    ctx.done();
    if (rt && dest) ctx.sw.transfer(rt, dest, dialplan ?? 'XML', context ?? ctx.ch.profile.context);
    return {};
  },
};
