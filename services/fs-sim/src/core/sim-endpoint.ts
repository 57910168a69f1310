import type { DialCallbacks, DialHandle, Endpoint } from './originate.ts';
import type { ChannelRuntime, SwitchCore } from './switch-core.ts';
import type { TimerHandle } from './timer-queue.ts';

/**
 * `sim/<behaviour>[/<ms>]`: a synthetic far end without SIP, for tests and load.
 * answer (rings, answers after ms, default 300), busy (USER_BUSY), reject (CALL_REJECTED),
 * noanswer (rings forever → NO_ANSWER at originate_timeout), unallocated (UNALLOCATED_NUMBER).
 */
export function simEndpoint(sw: SwitchCore): Endpoint {
  return {
    channelName: (target) => `sim/${target}`,
    dial(_rt: ChannelRuntime, target: string, cb: DialCallbacks): DialHandle {
      const [behaviour = 'answer', msArg] = target.split('/');
      const ms = Number.parseInt(msArg ?? '', 10);
      const delay = Number.isFinite(ms) ? ms : 300;
      let timer: TimerHandle | undefined;
      const fails: Record<string, [string, string]> = {
        busy: ['USER_BUSY', '486'],
        reject: ['CALL_REJECTED', '603'],
        unallocated: ['UNALLOCATED_NUMBER', '404'],
        noresponse: ['NO_USER_RESPONSE', '480'],
      };
      const fail = fails[behaviour];
      if (fail) {
        timer = sw.timers.after(Math.min(delay, 20), () => cb.fail(fail[0], [['sip_term_status', fail[1]], ['sip_hangup_disposition', 'recv_refuse']]));
      } else {
        timer = sw.timers.after(0, () => {
          cb.progress();
          if (behaviour !== 'noanswer') timer = sw.timers.after(delay, () => cb.answer());
        });
      }
      return { hangup: () => timer?.cancel() };
    },
  };
}
