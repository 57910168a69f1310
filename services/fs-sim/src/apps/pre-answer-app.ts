import type { App } from './app.ts';

/** `pre_answer`: early media (183 on SIP), CHANNEL_PROGRESS_MEDIA. */
export const preAnswerApp: App = {
  name: 'pre_answer',
  parsesEvents: false,
  start(ctx) {
    ctx.sw.preAnswer(ctx.ch);
    ctx.done();
    return {};
  },
};
