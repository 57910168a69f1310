import type { App } from './app.ts';
import { splitArgs } from './app.ts';
import { DigitCollector, msArg, type ReadResult } from './digit-collector.ts';
import { MediaPlayer } from './media-player.ts';

/**
 * `play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file>
 * <var> <regexp> [digit_timeout] [transfer_on_failure]` (switch_play_and_get_digits):
 * up to `tries` rounds; a round is valid when it has >= min digits matching the regexp.
 * Sets `<var>` and `read_result`; Application-Response stays `_none_`.
 */
export const playAndGetDigitsApp: App = {
  name: 'play_and_get_digits',
  parsesEvents: true,
  start(ctx) {
    const a = splitArgs(ctx.arg);
    const min = Math.max(0, Number.parseInt(a[0] ?? '0', 10) || 0);
    const max = Math.max(1, Number.parseInt(a[1] ?? '1', 10) || 1);
    let tries = Math.max(1, Number.parseInt(a[2] ?? '1', 10) || 1);
    const timeoutMs = msArg(a[3], 5000);
    const terminators = a[4] === 'none' ? '' : (a[4] ?? '#');
    const prompt = a[5] ?? '';
    const invalid = a[6] && a[6] !== 'none' ? a[6] : '';
    const varName = a[7] ?? 'pagd_input';
    let regex: RegExp | undefined;
    try {
      regex = a[8] ? new RegExp(`^(?:${a[8]})$`) : undefined;
    } catch {
      regex = undefined;
    }
    const digitTimeoutMs = msArg(a[9], timeoutMs);
    const onFailure = a[10];
    let current: { digit(d: string): void; hangup(): void; pause(): void; resume(): void } | undefined;
    let over = false;

    const finish = (ok: boolean, digits: string, result: ReadResult): void => {
      over = true;
      ctx.ch.setVar('read_result', result);
      if (ok) {
        ctx.ch.setVar(varName, digits);
        ctx.ch.setVar('digits_dialed', digits);
      } else ctx.ch.setVar(varName, undefined);
      ctx.done();
      if (!ok && onFailure && !ctx.ch.isHungUp) {
        const [dest, dp, context] = onFailure.split(/\s+/);
        const rt = ctx.sw.runtime(ctx.ch.uuid);
        if (rt && dest) ctx.sw.transfer(rt, dest, dp ?? 'XML', context ?? ctx.ch.profile.context);
      }
    };

    const round = (): void => {
      const collector = new DigitCollector(ctx.sw, ctx.ch, { min, max, prompt, timeoutMs, digitTimeoutMs, terminators }, (result, digits) => {
        if (over) return;
        if (ctx.ch.isHungUp) {
          finish(false, digits, 'failure');
          return;
        }
        const valid = digits.length >= min && digits.length > 0 && (!regex || regex.test(digits));
        if (valid) {
          finish(true, digits, result);
          return;
        }
        tries--;
        if (tries <= 0) {
          finish(false, digits, result === 'success' ? 'failure' : result);
          return;
        }
        if (invalid) {
          const p = new MediaPlayer(ctx.sw, ctx.ch, invalid, () => {
            current = undefined;
            if (!over) round();
          });
          current = { digit() {}, hangup: () => p.stop('hangup'), pause: () => p.pause(), resume: () => p.resume() };
          p.start();
        } else round();
      });
      current = collector;
      collector.start();
    };
    round();
    return {
      onDtmf: (d) => current?.digit(d),
      onHangup: () => {
        if (current) current.hangup();
        if (!over) finish(false, '', 'failure');
      },
      onPause: () => current?.pause(),
      onResume: () => current?.resume(),
    };
  },
};
