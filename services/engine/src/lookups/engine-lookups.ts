import type { Database, Kysely } from '@switchyard/core';
import { asDialerDb, DncService } from '@switchyard/dialer';
import type { LookupHandler, LookupPort } from '@switchyard/ivr';
import { withLookupTimeout } from './lookup-timeout.ts';

/** A flow asked for something it may not have (bad arguments): the fallback branch. */
export class LookupInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LookupInputError';
  }
}

/**
 * `dnc.add {number, campaign?, reason?}`: puts the number on the campaign's DNC list (or the
 * global list without `campaign`) through the dialer's DncService, so it is effective for
 * the next dial at once. Idempotent: a second opt-out answers `already`.
 */
export function dncAddLookup(db: Kysely<Database>): LookupHandler {
  const dnc = new DncService(asDialerDb(db));
  return async ({ number, campaign, reason }) => {
    if (!number) throw new LookupInputError('dnc.add needs a number');
    if (campaign && !/^\d{1,18}$/.test(campaign)) throw new LookupInputError(`dnc.add: bad campaign id "${campaign}"`);
    const r = await dnc.add(number, { campaignId: campaign || null, reason: (reason ?? 'ivr-optout').slice(0, 200), source: 'ivr' });
    return { dnc: r.added ? 'added' : 'already', dnc_phone: r.phone };
  };
}

/** `account.balance {account}` → `{ balance, currency }` from `engine_accounts`; unknown account = error (fallback). */
export function accountBalanceLookup(db: Kysely<Database>): LookupHandler {
  return async ({ account }) => {
    if (!account || !/^\d{1,32}$/.test(account)) throw new LookupInputError('account.balance needs a numeric account');
    const row = await db.selectFrom('engine_accounts').select(['balance', 'currency']).where('account', '=', account).executeTakeFirst();
    if (!row) throw new LookupInputError(`account ${account} not found`);
    return { balance: String(Number(row.balance)), currency: row.currency };
  };
}

/**
 * The lookups the engine gives every flow, each bounded by `timeoutMs` on top of the IVR
 * lookup verb's own timeout. `extra` adds or replaces entries (tests, deployments).
 *
 * @example
 * const lookups = engineLookups(db, { timeoutMs: 3000 });
 */
export function engineLookups(db: Kysely<Database>, o: { timeoutMs: number; extra?: LookupPort }): LookupPort {
  const all: Record<string, LookupHandler> = {
    'dnc.add': dncAddLookup(db),
    'account.balance': accountBalanceLookup(db),
    ...o.extra,
  };
  return Object.fromEntries(Object.entries(all).map(([name, h]) => [name, withLookupTimeout(name, o.timeoutMs, h)]));
}
