import type { LookupPort } from '@switchyard/ivr';

/**
 * Stand-in lookups for `flow simulate` and tests: balances for accounts starting with 1,
 * "not found" otherwise; `dnc.add` accepts everything. Real ones come from the engine/dialer.
 */
export const simulationLookups: LookupPort = {
  'account.balance': async ({ account }) => {
    if (!account?.startsWith('1')) throw new Error(`account ${account} not found`);
    return { balance: String(Number(account.slice(-3))) };
  },
  'dnc.add': async ({ number }) => {
    if (!number) throw new Error('no number');
    return { dnc: 'added' };
  },
};
