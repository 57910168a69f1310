import type { Outcome } from './outcome.ts';

/** The platform's call dispositions (`switchyard_calls_total{disposition}`), spelled once for every service. */
export type CallDisposition = 'answered' | 'busy' | 'no_answer' | 'failed' | 'machine' | 'cancelled';

/**
 * The disposition the dialer reports for an attempt that ended unanswered, or `null` for a
 * call a person answered (`answered`, `abandoned`): the engine counts those at their hang-up,
 * so counting them here too would count them twice. `unknown` (lost in a crash, never
 * seen answered) is a failure; a ring the switch cancelled (we hung up first) is `cancelled`.
 *
 * @example
 * unansweredDisposition('no_answer', 'ORIGINATOR_CANCEL'); // 'cancelled'
 */
export function unansweredDisposition(outcome: Outcome, cause: string): CallDisposition | null {
  switch (outcome) {
    case 'answered':
    case 'abandoned':
      return null;
    case 'busy':
    case 'machine':
    case 'failed':
      return outcome;
    case 'no_answer':
      return cause === 'ORIGINATOR_CANCEL' ? 'cancelled' : 'no_answer';
    case 'unknown':
      return 'failed';
  }
}
