import type { App } from './app.ts';
import { splitArgs } from './app.ts';
import { DigitCollector, msArg } from './digit-collector.ts';

/** `read <min> <max> <file> <var> <timeout> <terminators> [digit_timeout]` (mod_dptools read). */
export const readApp: App = {
  name: 'read',
  parsesEvents: true,
  start(ctx) {
    const a = splitArgs(ctx.arg);
    const min = Math.max(0, Number.parseInt(a[0] ?? '0', 10) || 0);
    const max = Math.max(1, Number.parseInt(a[1] ?? '1', 10) || 1);
    const varName = a[3] ?? 'read_digits';
    const timeoutMs = msArg(a[4], 5000);
    const collector = new DigitCollector(
      ctx.sw,
      ctx.ch,
      { min, max, prompt: a[2] ?? '', timeoutMs, digitTimeoutMs: msArg(a[6], timeoutMs), terminators: a[5] ?? '#' },
      (result, digits, term) => {
        ctx.ch.setVar(varName, digits || undefined);
        ctx.ch.setVar('read_terminator_used', term);
        ctx.ch.setVar('read_result', result);
        ctx.done();
      },
    );
    collector.start();
    return {
      onDtmf: (d) => collector.digit(d),
      onHangup: () => collector.hangup(),
      onPause: () => collector.pause(),
      onResume: () => collector.resume(),
    };
  },
};
