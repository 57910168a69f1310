import { defineFlow } from '@switchyard/ivr';
import { promptCatalogue } from './prompt-catalogue.ts';

// Shared settings of every prompt that waits for one key.
const oneKey = {
  minDigits: 1,
  maxDigits: 1,
  interDigitTimeoutMs: 3000,
  noInputTimeoutMs: 6000,
  maxRetries: 2,
  invalidPrompt: ['invalid'],
  noInputPrompt: ['no-input'],
} as const;

/**
 * Inbound main menu: opening hours by time of day, then 1 sales, 2 support (submenu),
 * 3 account balance (through the `account.balance` lookup), 9 opt out of marketing
 * (confirmed, through `dnc.add`), 0 an agent from every menu, * goes back.
 */
export const mainMenuFlow = defineFlow(
  {
    id: 'main-menu',
    name: 'Inbound main menu',
    initial: 'hours',
    states: {
      hours: {
        kind: 'branch',
        cases: [{ when: { type: 'timeOfDay', tz: 'Europe/London', days: [1, 2, 3, 4, 5], open: '08:00', close: '20:00' }, target: 'welcome' }],
        otherwise: 'closed',
      },
      closed: { kind: 'play', prompts: ['closed'], next: 'closed_bye' },
      closed_bye: { kind: 'hangup', disposition: 'after-hours' },
      welcome: { kind: 'play', prompts: ['welcome'], bargeIn: true, next: 'main' },
      main: {
        kind: 'menu',
        ...oneKey,
        prompt: ['main-menu'],
        options: { '1': 'sales', '2': 'support', '3': 'account', '9': 'optout_confirm', '0': 'agent' },
        onExhausted: 'agent',
      },
      sales: { kind: 'transfer', target: { kind: 'queue', queue: 'sales' }, disposition: 'sales' },
      support: {
        kind: 'menu',
        ...oneKey,
        prompt: ['support-menu'],
        options: { '1': 'support_tech', '2': 'support_billing', '*': 'main', '0': 'agent' },
        onExhausted: 'agent',
      },
      support_tech: { kind: 'transfer', target: { kind: 'queue', queue: 'support-tech' }, disposition: 'support' },
      support_billing: { kind: 'transfer', target: { kind: 'queue', queue: 'support-billing' }, disposition: 'support' },
      account: {
        kind: 'gather',
        prompt: ['enter-account'],
        invalidPrompt: ['invalid'],
        noInputPrompt: ['no-input'],
        into: 'account',
        minDigits: 6,
        maxDigits: 10,
        terminator: '#',
        pattern: '[0-9]+',
        interDigitTimeoutMs: 4000,
        noInputTimeoutMs: 8000,
        maxRetries: 2,
        next: 'balance_lookup',
        onExhausted: 'agent',
      },
      balance_lookup: { kind: 'lookup', name: 'account.balance', args: { account: '{{account}}' }, timeoutMs: 3000, next: 'balance_intro', fallback: 'lookup_failed' },
      balance_intro: { kind: 'play', prompts: ['balance-is'], next: 'balance_say' },
      balance_say: { kind: 'say', as: 'number', value: '{{balance}}', next: 'balance_menu' },
      balance_menu: {
        kind: 'menu',
        ...oneKey,
        prompt: ['balance-menu'],
        options: { '1': 'balance_intro', '*': 'main', '0': 'agent' },
        onExhausted: 'goodbye',
      },
      lookup_failed: { kind: 'play', prompts: ['lookup-failed'], next: 'agent' },
      optout_confirm: {
        kind: 'menu',
        ...oneKey,
        confirm: true,
        prompt: ['optout-confirm'],
        options: { '1': 'optout', '2': 'main', '*': 'main', '0': 'agent' },
        onExhausted: 'agent',
      },
      optout: { kind: 'lookup', name: 'dnc.add', irreversible: true, args: { number: '{{caller}}', reason: 'ivr-optout' }, timeoutMs: 3000, next: 'optout_done', fallback: 'optout_failed' },
      optout_done: { kind: 'play', prompts: ['optout-done'], next: 'optout_bye' },
      optout_bye: { kind: 'hangup', disposition: 'opted-out' },
      optout_failed: { kind: 'play', prompts: ['optout-failed'], next: 'agent' },
      goodbye: { kind: 'play', prompts: ['goodbye'], next: 'bye' },
      bye: { kind: 'hangup', disposition: 'completed' },
      agent: { kind: 'transfer', target: { kind: 'queue', queue: 'agents' }, disposition: 'agent' },
    },
  },
  promptCatalogue,
);
