import type { App } from './app.ts';

/**
 * `park`: CHANNEL_PARK, then wait (running queued sendmsg apps inside) until hangup or
 * transfer, which give CHANNEL_UNPARK before park's EXECUTE_COMPLETE (switch_ivr_park).
 */
export const parkApp: App = {
  name: 'park',
  parsesEvents: true,
  start(ctx) {
    ctx.sw.emitChannel('CHANNEL_PARK', ctx.ch);
    const end = (): void => {
      ctx.sw.emitChannel('CHANNEL_UNPARK', ctx.ch);
      ctx.done();
    };
    return { onHangup: end };
  },
};
