import type { App } from './app.ts';

/** `answer`: mark the channel answered (200 OK on SIP). */
export const answerApp: App = {
  name: 'answer',
  parsesEvents: false,
  start(ctx) {
    ctx.sw.answer(ctx.ch);
    ctx.done();
    return {};
  },
};
