import type { CampaignState } from '@switchyard/core';
import { type CallingWindow, callingWindowsSchema } from '../core/calling-window.ts';
import { type RetryPolicy, retryPolicySchema } from '../core/retry-policy.ts';

/** A campaign as the dialer uses it (parsed from its row). */
export interface Campaign {
  id: string;
  name: string;
  flowId: string;
  callerId: string;
  gateway: string;
  allowedPrefixes: string[];
  windows: CallingWindow[];
  holidays: string[];
  defaultTimezone: string;
  maxCps: number;
  maxConcurrent: number;
  retryPolicy: RetryPolicy;
  maxAttempts: number;
  priority: number;
  abandonBudgetPct: number;
  state: CampaignState;
  stopHangup: boolean;
}

/** Row → Campaign. Dates from `date[]` come back as Date (UTC midnight) or strings. */
export function campaignFromRow(r: {
  id: string;
  name: string;
  flow_id: string;
  caller_id: string;
  gateway: string;
  allowed_prefixes: string[];
  windows: unknown;
  holidays: (Date | string)[];
  default_timezone: string;
  max_cps: string;
  max_concurrent: number;
  retry_policy: unknown;
  max_attempts: number;
  priority: number;
  abandon_budget_pct: string;
  state: CampaignState;
  stop_hangup: boolean;
}): Campaign {
  return {
    id: r.id,
    name: r.name,
    flowId: r.flow_id,
    callerId: r.caller_id,
    gateway: r.gateway,
    allowedPrefixes: r.allowed_prefixes,
    windows: callingWindowsSchema.parse(r.windows),
    holidays: r.holidays.map((d) => (typeof d === 'string' ? d.slice(0, 10) : localDate(d))),
    defaultTimezone: r.default_timezone,
    maxCps: Number(r.max_cps),
    maxConcurrent: r.max_concurrent,
    retryPolicy: retryPolicySchema.parse(r.retry_policy ?? {}),
    maxAttempts: r.max_attempts,
    priority: r.priority,
    abandonBudgetPct: Number(r.abandon_budget_pct),
    state: r.state,
    stopHangup: r.stop_hangup,
  };
}

// pg parses `date` as a local-midnight Date; read it back in local time.
function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
