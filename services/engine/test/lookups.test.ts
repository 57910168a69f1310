import { createTestDatabase, type TestDatabase } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineLookups } from '../src/lookups/engine-lookups.ts';
import { LookupTimeoutError, withLookupTimeout } from '../src/lookups/lookup-timeout.ts';

let t: TestDatabase;
const signal = new AbortController().signal;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('engine lookups (real Postgres)', () => {
  it('account.balance reads engine_accounts; unknown or malformed accounts fail (fallback branch)', async () => {
    await t.db.insertInto('engine_accounts').values({ account: '4242424242', balance: '1234.50', currency: 'EUR' }).execute();
    const l = engineLookups(t.db, { timeoutMs: 1000 });
    expect(await l['account.balance']!({ account: '4242424242' }, { signal })).toEqual({ balance: '1234.5', currency: 'EUR' });
    expect(await l['account.balance']!({ account: '100123' }, { signal })).toEqual({ balance: '123', currency: 'GBP' }); // demo row
    await expect(l['account.balance']!({ account: '999' }, { signal })).rejects.toThrow(/not found/);
    await expect(l['account.balance']!({ account: "1' OR '1'='1" }, { signal })).rejects.toThrow(/numeric account/);
  });

  it('dnc.add is idempotent, scoped (global or campaign) and refuses bad input', async () => {
    const l = engineLookups(t.db, { timeoutMs: 1000 });
    expect(await l['dnc.add']!({ number: '+447911000042', reason: 'ivr-optout' }, { signal })).toEqual({ dnc: 'added', dnc_phone: '+447911000042' });
    expect(await l['dnc.add']!({ number: '+447911000042' }, { signal })).toMatchObject({ dnc: 'already' });
    const rows = await t.db.selectFrom('dnc').selectAll().where('phone_e164', '=', '+447911000042').execute();
    expect(rows).toMatchObject([{ campaign_id: null, source: 'ivr', reason: 'ivr-optout' }]);
    await expect(l['dnc.add']!({ number: 'not-a-number' }, { signal })).rejects.toThrow(/not a valid phone number/);
    await expect(l['dnc.add']!({ number: '', campaign: '1' }, { signal })).rejects.toThrow(/needs a number/);
    await expect(l['dnc.add']!({ number: '+447911000042', campaign: 'x;drop' }, { signal })).rejects.toThrow(/bad campaign/);
  });

  it('every lookup is cut off at the timeout, its work aborted; extra lookups join the registry', async () => {
    let aborted = false;
    const l = engineLookups(t.db, {
      timeoutMs: 80,
      extra: {
        'slow.thing': (_a, o) =>
          new Promise((resolve) => {
            o.signal.addEventListener('abort', () => {
              aborted = true;
            });
            setTimeout(() => resolve({ late: '1' }), 5_000).unref();
          }),
      },
    });
    const t0 = Date.now();
    await expect(l['slow.thing']!({}, { signal })).rejects.toBeInstanceOf(LookupTimeoutError);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(aborted).toBe(true);
    // The caller's abort (the flow's own timeout, a hang-up) reaches the work too.
    const outer = new AbortController();
    let seen: unknown;
    const h = withLookupTimeout('x', 5_000, (_a, o) => new Promise((_, rej) => o.signal.addEventListener('abort', () => rej((seen = o.signal.reason)))));
    const p = h({}, { signal: outer.signal });
    outer.abort(new Error('hung up'));
    await expect(p).rejects.toThrow('hung up');
    expect(String(seen)).toContain('hung up');
  });
});
