import { z } from 'zod';
import { callingWindowsSchema, isValidTimeZone } from '../core/calling-window.ts';
import { normalisePrefix } from '../core/prefix-guard.ts';
import { retryPolicySchema } from '../core/retry-policy.ts';

/** What a manager sends to create a campaign; every field is validated with a clear message. */
export const campaignInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  flowId: z.string().min(1),
  callerId: z.string().regex(/^\+?[0-9]{3,15}$/, 'caller ID must be digits, optionally with a leading +'),
  gateway: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'gateway must be a plain gateway name'),
  allowedPrefixes: z
    .array(z.string())
    .min(1, 'at least one allowed destination prefix is required (toll-fraud guard)')
    .transform((ps, ctx) =>
      ps.map((p) => {
        const n = normalisePrefix(p);
        if (!n) ctx.addIssue({ code: 'custom', message: `bad prefix "${p}"` });
        return n ?? '';
      }),
    ),
  windows: callingWindowsSchema.default([]),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'holiday must be YYYY-MM-DD')).default([]),
  defaultTimezone: z.string().default('UTC').refine(isValidTimeZone, 'unknown time zone'),
  maxCps: z.number().positive().max(10_000).default(1),
  maxConcurrent: z.number().int().positive().max(100_000).default(10),
  retryPolicy: retryPolicySchema.default(retryPolicySchema.parse({})),
  maxAttempts: z.number().int().min(1).max(100).default(3),
  priority: z.number().int().default(0),
  abandonBudgetPct: z.number().min(0).max(100).default(3),
});
export type CampaignInput = z.input<typeof campaignInputSchema>;
export type CampaignSettings = z.output<typeof campaignInputSchema>;
