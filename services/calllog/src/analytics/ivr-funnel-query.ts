import type { Database } from '@switchyard/core';
import { type Kysely, sql } from 'kysely';
import { type CallFilterInput, callFilterWhere, parseCallFilter } from './call-filter.ts';

/** One IVR state in the funnel. */
export interface FunnelStep {
  state: string;
  /** Legs that reached the state. */
  reached: number;
  /** Ended legs whose last IVR state was this one (where callers dropped). */
  droppedHere: number;
  /** Mean step number at which the state was reached (the funnel's order). */
  depth: number;
}

/**
 * The IVR funnel of the legs matching a filter, optionally for one flow: how many legs
 * reached each state and how many ended there; deepest-last.
 *
 * @example
 * const steps = await ivrFunnel(db, { from, to }, 'support');
 */
export async function ivrFunnel(db: Kysely<Database>, filter: CallFilterInput, flowId?: string): Promise<FunnelStep[]> {
  const f = parseCallFilter(filter);
  let q = db
    .selectFrom('ivr_steps')
    .innerJoin('call_legs', 'call_legs.leg_id', 'ivr_steps.leg_id')
    .where((eb) => callFilterWhere(eb, f))
    .select([
      'ivr_steps.state',
      sql<number>`count(DISTINCT ivr_steps.leg_id)::int`.as('reached'),
      sql<number>`(count(DISTINCT ivr_steps.leg_id) FILTER (WHERE call_legs.ivr_last_state = ivr_steps.state AND call_legs.ended_at IS NOT NULL))::int`.as(
        'droppedHere',
      ),
      sql<number>`avg(ivr_steps.seq)::float8`.as('depth'),
    ])
    .groupBy('ivr_steps.state')
    .orderBy(sql`4`)
    .orderBy('ivr_steps.state');
  if (flowId) q = q.where('ivr_steps.flow_id', '=', flowId);
  return q.execute();
}
