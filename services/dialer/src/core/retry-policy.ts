import { z } from 'zod';
import type { Outcome, RetryableOutcome } from './outcome.ts';

const ruleSchema = z.object({
  /** Retry this outcome at all. */
  retry: z.boolean().default(true),
  /** Delay before the first retry, seconds. */
  delaySec: z.number().min(0).max(30 * 86400).default(600),
  /** Each further retry waits `multiplier` times longer... */
  multiplier: z.number().min(1).max(10).default(1),
  /** ...up to this cap, seconds. */
  maxDelaySec: z.number().min(0).max(30 * 86400).default(86400),
  /** Attempts cap for this outcome (the campaign's max_attempts still applies). */
  maxAttempts: z.number().int().min(1).max(100).optional(),
});
export type RetryRule = z.infer<typeof ruleSchema>;

/** `campaigns.retry_policy`: one rule per retryable outcome. */
export const retryPolicySchema = z.object({
  busy: ruleSchema.default({ retry: true, delaySec: 300, multiplier: 1, maxDelaySec: 86400 }),
  no_answer: ruleSchema.default({ retry: true, delaySec: 1800, multiplier: 1, maxDelaySec: 86400 }),
  failed: ruleSchema.default({ retry: true, delaySec: 600, multiplier: 2, maxDelaySec: 86400 }),
  machine: ruleSchema.default({ retry: false, delaySec: 3600, multiplier: 1, maxDelaySec: 86400 }),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/** What happens to a contact after an attempt. */
export type RetryDecision =
  | { kind: 'done' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'exhausted'; reason: 'max_attempts' | 'no_retry' | 'permanent' };

/**
 * Decides the contact's fate after attempt number `attemptNo` (1-based) ended as `outcome`.
 * `unknown` (crash recovery) is retried under the `failed` rule.
 *
 * @example
 * decideRetry('busy', 1, retryPolicySchema.parse({}), 3); // { kind: 'retry', delayMs: 300000 }
 */
export function decideRetry(
  outcome: Outcome,
  attemptNo: number,
  policy: RetryPolicy,
  maxAttempts: number,
  permanent = false,
): RetryDecision {
  if (outcome === 'answered' || outcome === 'abandoned') return { kind: 'done' };
  if (permanent) return { kind: 'exhausted', reason: 'permanent' };
  const key: RetryableOutcome = outcome;
  const rule = policy[key === 'unknown' ? 'failed' : key];
  if (!rule.retry) return { kind: 'exhausted', reason: 'no_retry' };
  const cap = Math.min(maxAttempts, rule.maxAttempts ?? maxAttempts);
  if (attemptNo >= cap) return { kind: 'exhausted', reason: 'max_attempts' };
  const delaySec = Math.min(rule.maxDelaySec, rule.delaySec * rule.multiplier ** Math.max(0, attemptNo - 1));
  return { kind: 'retry', delayMs: Math.round(delaySec * 1000) };
}
