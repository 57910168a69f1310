import type { Database } from '@switchyard/core';
import { type Kysely, sql } from 'kysely';
import { type CallFilterInput, callFilterWhere, parseCallFilter } from './call-filter.ts';

/** Outcome counts of one campaign. */
export interface CampaignOutcome {
  campaignId: string;
  legs: number;
  contacts: number;
  /** Legs per disposition (`open` for legs still up). */
  byDisposition: Record<string, number>;
  asr: number | null;
  acdS: number | null;
}

/**
 * Dialer outcomes per campaign over the legs matching a filter.
 *
 * @example
 * const [c] = await campaignOutcomes(db, { from, to, campaignId: '7' });
 */
export async function campaignOutcomes(db: Kysely<Database>, filter: CallFilterInput): Promise<CampaignOutcome[]> {
  const f = parseCallFilter(filter);
  const rows = await db
    .selectFrom('call_legs')
    .where((eb) => callFilterWhere(eb, f))
    .where('campaign_id', 'is not', null)
    .select([
      'campaign_id',
      sql<string>`COALESCE(disposition, 'open')`.as('disposition'),
      sql<number>`count(*)::int`.as('legs'),
      sql<number | null>`sum(talk_ms) FILTER (WHERE disposition = 'answered')::float8`.as('talk'),
    ])
    .groupBy(['campaign_id', sql`2`])
    .orderBy('campaign_id')
    .execute();
  const byCampaign = new Map<string, CampaignOutcome & { talk: number }>();
  for (const r of rows) {
    const id = r.campaign_id!;
    let c = byCampaign.get(id);
    if (!c) {
      c = { campaignId: id, legs: 0, contacts: 0, byDisposition: {}, asr: null, acdS: null, talk: 0 };
      byCampaign.set(id, c);
    }
    c.legs += r.legs;
    c.byDisposition[r.disposition] = r.legs;
    c.talk += r.talk ?? 0;
  }
  // Distinct contacts across dispositions needs its own count.
  const contacts = await db
    .selectFrom('call_legs')
    .where((eb) => callFilterWhere(eb, f))
    .where('campaign_id', 'is not', null)
    .select(['campaign_id', sql<number>`count(DISTINCT contact_id)::int`.as('n')])
    .groupBy('campaign_id')
    .execute();
  for (const r of contacts) byCampaign.get(r.campaign_id!)!.contacts = r.n;
  return [...byCampaign.values()].map(({ talk, ...c }) => {
    const answered = c.byDisposition.answered ?? 0;
    const ended = c.legs - (c.byDisposition.open ?? 0);
    return { ...c, asr: ended > 0 ? answered / ended : null, acdS: answered > 0 ? talk / answered / 1000 : null };
  });
}
