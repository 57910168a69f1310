import type { TestDatabase } from '@switchyard/core/testing';
import type { CampaignInput } from '../src/campaign/campaign-input.ts';
import { CampaignService } from '../src/campaign/campaign-service.ts';
import { asDialerDb } from '../src/db/dialer-schema.ts';

/** A flow row for the campaigns.flow_id foreign key. */
export async function seedFlow(t: TestDatabase, id = 'test-flow'): Promise<string> {
  await t.db.insertInto('ivr_flows').values({ id, name: id }).onConflict((oc) => oc.doNothing()).execute();
  return id;
}

/** Creates a campaign with test-friendly defaults. */
export async function makeCampaign(t: TestDatabase, over: Partial<CampaignInput> = {}) {
  const flowId = await seedFlow(t);
  return new CampaignService(asDialerDb(t.db)).create(
    {
      name: `c-${Math.random().toString(36).slice(2, 8)}`,
      flowId,
      callerId: '+442071234567',
      gateway: 'gw1',
      allowedPrefixes: ['+44'],
      ...over,
    },
    'test',
  );
}

/** `n` distinct valid UK mobile numbers starting at `from`. */
export function ukNumbers(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `+447911${String(from + i).padStart(6, "0")}`);
}

/** Inserts contacts directly (fast path for runner tests). */
export async function seedContacts(t: TestDatabase, campaignId: string, phones: string[], tz: string | null = null) {
  for (let i = 0; i < phones.length; i += 1000) {
    await t.db
      .insertInto('contacts')
      .values(phones.slice(i, i + 1000).map((p) => ({ campaign_id: campaignId, phone_e164: p, timezone: tz, data: '{}', next_attempt_at: new Date(0) })))
      .execute();
  }
}
