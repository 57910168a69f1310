import { sql } from 'kysely';
import { toE164 } from '../core/phone-number.ts';
import type { DialerDb } from '../db/dialer-schema.ts';

export class BadNumberError extends Error {
  constructor(readonly raw: string) {
    super(`not a valid phone number: "${raw}"`);
    this.name = 'BadNumberError';
  }
}

/** Scope of a DNC entry: the global list, or one campaign's list. */
export interface DncScope {
  campaignId?: string | null;
}

/**
 * Do-not-call lists (global + per campaign). An entry lands at once: matching contacts not
 * yet dialled become `dnc` in the same transaction, and the dialer re-checks at dial time.
 *
 * @example
 * await new DncService(db).add('+442079460018', { reason: 'opt-out', source: 'ivr' });
 */
export class DncService {
  constructor(private readonly db: DialerDb) {}

  /** Adds a number (any format libphonenumber parses as E.164; national needs `defaultCountry`). */
  async add(
    raw: string,
    opts: DncScope & { reason?: string; source?: string; defaultCountry?: string } = {},
  ): Promise<{ phone: string; added: boolean; contactsBlocked: number }> {
    const phone = toE164(raw, opts.defaultCountry);
    if (!phone) throw new BadNumberError(raw);
    const campaignId = opts.campaignId ?? null;
    return this.db.transaction().execute(async (tx) => {
      const ins = await tx
        .insertInto('dnc')
        .values({ phone_e164: phone, campaign_id: campaignId, reason: opts.reason ?? '', source: opts.source ?? 'manual' })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      let q = tx
        .updateTable('contacts')
        .set({ state: 'dnc', updated_at: sql`now()` })
        .where('phone_e164', '=', phone)
        .where('state', 'in', ['pending', 'retry']);
      if (campaignId !== null) q = q.where('campaign_id', '=', campaignId);
      const blocked = await q.returning(['id', 'campaign_id']).execute();
      if (blocked.length > 0) {
        await tx
          .insertInto('dialer_skips')
          .values(
            blocked.map((b) => ({
              campaign_id: b.campaign_id,
              contact_id: b.id,
              phone_e164: phone,
              reason: 'dnc' as const,
              detail: `listed (${opts.source ?? 'manual'})`,
            })),
          )
          .execute();
      }
      return { phone, added: ins !== undefined, contactsBlocked: blocked.length };
    });
  }

  /** Removes a number from one scope. Contacts already marked `dnc` stay so (re-add them explicitly). */
  async remove(raw: string, opts: DncScope & { defaultCountry?: string } = {}): Promise<boolean> {
    const phone = toE164(raw, opts.defaultCountry);
    if (!phone) throw new BadNumberError(raw);
    const campaignId = opts.campaignId ?? null;
    const res = await this.db
      .deleteFrom('dnc')
      .where('phone_e164', '=', phone)
      .where((eb) => (campaignId === null ? eb('campaign_id', 'is', null) : eb('campaign_id', '=', campaignId)))
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** True if the number is on the global list or the campaign's list. */
  async isListed(phone: string, campaignId: string): Promise<boolean> {
    return (await this.listed([phone], campaignId)).has(phone);
  }

  /** The subset of `phones` on the global list or the campaign's list (one query). */
  async listed(phones: readonly string[], campaignId: string): Promise<Set<string>> {
    if (phones.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('dnc')
      .select('phone_e164')
      .where('phone_e164', 'in', phones)
      .where((eb) => eb.or([eb('campaign_id', 'is', null), eb('campaign_id', '=', campaignId)]))
      .execute();
    return new Set(rows.map((r) => r.phone_e164));
  }
}
