import type { Database } from '@switchyard/core';
import { type ExpressionBuilder, type Expression, type SqlBool, sql } from 'kysely';
import { z } from 'zod';

const text = z.string().min(1).max(256);

/**
 * Filters for calls. The time range (on started_at, `[from, to)`) is required and at most
 * 93 days, so every query prunes to a bounded set of day partitions.
 */
export const callFilterSchema = z
  .object({
    from: z.coerce.date(),
    to: z.coerce.date(),
    caller: text.optional(),
    callee: text.optional(),
    campaignId: z.union([z.string().regex(/^\d{1,19}$/), z.number().int().nonnegative()]).transform(String).optional(),
    node: text.optional(),
    trunk: text.optional(),
    direction: z.enum(['inbound', 'outbound', 'transfer']).optional(),
    disposition: text.optional(),
    hangupCause: text.optional(),
    /** Legs whose IVR reached this state at any point. */
    ivrState: text.optional(),
  })
  .refine((f) => f.from < f.to, { message: '`from` must be before `to`', path: ['from'] })
  .refine((f) => f.to.getTime() - f.from.getTime() <= 93 * 86_400_000, { message: 'range is at most 93 days', path: ['to'] });

export type CallFilterInput = z.input<typeof callFilterSchema>;
export type CallFilter = z.output<typeof callFilterSchema>;

/** Bad analytics input (missing range, bad cursor...): a caller error, never a crash. */
export class AnalyticsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsInputError';
  }
}

/** Validates a filter; throws {@link AnalyticsInputError} naming the bad fields. */
export function parseCallFilter(input: CallFilterInput): CallFilter {
  const r = callFilterSchema.safeParse(input);
  if (r.success) return r.data;
  throw new AnalyticsInputError(
    `invalid filter: ${r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`,
  );
}

/** The WHERE clause of a filter over `call_legs` (alias-free). */
export function callFilterWhere(eb: ExpressionBuilder<Database, 'call_legs'>, f: CallFilter): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [eb('call_legs.started_at', '>=', f.from), eb('call_legs.started_at', '<', f.to)];
  if (f.caller) c.push(eb('call_legs.caller', '=', f.caller));
  if (f.callee) c.push(eb('call_legs.callee', '=', f.callee));
  if (f.campaignId) c.push(eb('call_legs.campaign_id', '=', f.campaignId));
  if (f.node) c.push(eb('call_legs.node', '=', f.node));
  if (f.trunk) c.push(eb('call_legs.trunk', '=', f.trunk));
  if (f.direction) c.push(eb('call_legs.direction', '=', f.direction));
  if (f.disposition) {
    c.push(f.disposition === 'open' ? eb('call_legs.disposition', 'is', null) : eb('call_legs.disposition', '=', f.disposition));
  }
  if (f.hangupCause) c.push(eb('call_legs.hangup_cause', '=', f.hangupCause));
  if (f.ivrState) {
    const state = f.ivrState;
    c.push(
      eb.exists(
        eb
          .selectFrom('ivr_steps')
          .select(sql`1`.as('one'))
          .whereRef('ivr_steps.leg_id', '=', 'call_legs.leg_id')
          .where('ivr_steps.state', '=', state),
      ),
    );
  }
  return eb.and(c);
}
