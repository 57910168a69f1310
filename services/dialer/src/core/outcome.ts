/** What one attempt ended as. `unknown` = resolved after a crash with no trace of the call. */
export type Outcome = 'answered' | 'abandoned' | 'machine' | 'busy' | 'no_answer' | 'failed' | 'unknown';

/** Outcomes the retry policy can schedule again. */
export type RetryableOutcome = 'busy' | 'no_answer' | 'failed' | 'machine' | 'unknown';

const BUSY = new Set(['USER_BUSY']);
const NO_ANSWER = new Set(['NO_ANSWER', 'NO_USER_RESPONSE', 'ALLOTTED_TIMEOUT', 'ORIGINATOR_CANCEL', 'PROGRESS_TIMEOUT']);
/** Causes that will not get better by calling again: fail and do not retry. */
const PERMANENT = new Set([
  'UNALLOCATED_NUMBER',
  'INVALID_NUMBER_FORMAT',
  'NUMBER_CHANGED',
  'INCOMPATIBLE_DESTINATION',
  'CALL_REJECTED',
  'OUTGOING_CALL_BARRED',
  'BEARERCAPABILITY_NOTAUTH',
]);

export interface MappedOutcome {
  outcome: Outcome;
  /** Hang-up cause as FreeSWITCH reported it (or a synthetic one like JOB_TIMEOUT). */
  cause: string;
  /** True when retrying cannot help (bad number, barred). */
  permanent: boolean;
}

/** Maps a FreeSWITCH hang-up cause name (Q.850 text) to an outcome. */
export function outcomeFromCause(cause: string): MappedOutcome {
  const c = cause.trim().toUpperCase();
  if (BUSY.has(c)) return { outcome: 'busy', cause: c, permanent: false };
  if (NO_ANSWER.has(c)) return { outcome: 'no_answer', cause: c, permanent: false };
  return { outcome: 'failed', cause: c || 'UNKNOWN', permanent: PERMANENT.has(c) };
}

/**
 * Parses a `bgapi originate` BACKGROUND_JOB body: `+OK <uuid>` (answered) or
 * `-ERR USER_BUSY` etc. Anything else is a failure carrying the text as its cause.
 *
 * @example
 * parseOriginateResult('-ERR NO_ANSWER\n'); // { ok: false, outcome: 'no_answer', cause: 'NO_ANSWER', ... }
 */
export function parseOriginateResult(
  body: string,
): { ok: true; uuid: string } | ({ ok: false } & MappedOutcome) {
  const line = body.trim().split('\n', 1)[0]?.trim() ?? '';
  if (line.startsWith('+OK')) return { ok: true, uuid: line.slice(3).trim() };
  if (line.startsWith('-ERR')) {
    const cause = line.slice(4).trim().split(/\s+/, 1)[0] ?? '';
    return { ok: false, ...outcomeFromCause(cause || 'UNKNOWN') };
  }
  return { ok: false, outcome: 'failed', cause: 'BAD_JOB_REPLY', permanent: false };
}
