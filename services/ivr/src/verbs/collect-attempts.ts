import type { CollectResult } from '../channel-driver.ts';
import type { CollectSettings } from '../flow/flow-spec.ts';
import type { VerbContext } from './verb-types.ts';

/** Defaults used at run time when a flow leaves a setting out (the linter still flags missing timeouts). */
export const COLLECT_DEFAULTS = {
  minDigits: 1,
  maxDigits: 1,
  interDigitTimeoutMs: 3000,
  noInputTimeoutMs: 5000,
  maxRetries: 2,
} as const;

/** The hard cap on attempts whatever a flow says, so a bad flow cannot loop forever. */
export const MAX_ATTEMPTS_CAP = 10;

/** Result of {@link collectWithRetries}: the accepted digits, or `null` when attempts ran out. */
export interface AttemptsResult {
  readonly digits: string | null;
  readonly attempts: number;
}

/**
 * Shared by `menu` and `gather`: prompt, collect, check with `accept`, and on silence or a
 * wrong entry play the right re-prompt and try again, up to `1 + maxRetries` attempts.
 * Records prompt, digits, timeout, invalid and exhausted steps.
 */
export async function collectWithRetries(
  s: CollectSettings,
  ctx: VerbContext,
  signal: AbortSignal,
  accept: (digits: string) => boolean,
): Promise<AttemptsResult> {
  const maxAttempts = Math.min(1 + (s.maxRetries ?? COLLECT_DEFAULTS.maxRetries), MAX_ATTEMPTS_CAP);
  let reprompt: readonly string[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const ids = [...reprompt, ...s.prompt];
    ctx.step('prompt', { prompts: ids, attempt });
    const res: CollectResult = await ctx.driver.playAndGetDigits(
      {
        prompts: ctx.prompts(ids),
        minDigits: s.minDigits ?? COLLECT_DEFAULTS.minDigits,
        maxDigits: s.maxDigits ?? COLLECT_DEFAULTS.maxDigits,
        terminator: s.terminator,
        interDigitTimeoutMs: s.interDigitTimeoutMs ?? COLLECT_DEFAULTS.interDigitTimeoutMs,
        noInputTimeoutMs: s.noInputTimeoutMs ?? COLLECT_DEFAULTS.noInputTimeoutMs,
      },
      { signal },
    );
    if (res.digits === '') {
      ctx.step('timeout', { attempt, end: res.end });
      reprompt = s.noInputPrompt ?? s.invalidPrompt ?? [];
      continue;
    }
    const valid = accept(res.digits);
    ctx.step('digits', { digits: res.digits, end: res.end, attempt, valid });
    if (valid) return { digits: res.digits, attempts: attempt };
    ctx.step('invalid', { digits: res.digits, attempt });
    reprompt = s.invalidPrompt ?? [];
  }
  ctx.step('exhausted', { attempts: maxAttempts });
  return { digits: null, attempts: maxAttempts };
}
