import type { PromptCatalogue } from '@switchyard/ivr';

/**
 * Prompts the sample flows play: id → file under the media node's sounds directory and
 * its length. The engine checks each file with `file_exists` on every node at start-up.
 */
export const promptCatalogue = {
  welcome: { file: 'ivr/welcome.wav', durationMs: 3200 },
  closed: { file: 'ivr/closed.wav', durationMs: 5200 },
  'main-menu': { file: 'ivr/main-menu.wav', durationMs: 7400 },
  'support-menu': { file: 'ivr/support-menu.wav', durationMs: 5600 },
  invalid: { file: 'ivr/invalid.wav', durationMs: 1800 },
  'no-input': { file: 'ivr/no-input.wav', durationMs: 1900 },
  'enter-account': { file: 'ivr/enter-account.wav', durationMs: 4100 },
  'balance-is': { file: 'ivr/balance-is.wav', durationMs: 1600 },
  'balance-menu': { file: 'ivr/balance-menu.wav', durationMs: 4300 },
  'lookup-failed': { file: 'ivr/lookup-failed.wav', durationMs: 3000 },
  'optout-confirm': { file: 'ivr/optout-confirm.wav', durationMs: 5000 },
  'optout-done': { file: 'ivr/optout-done.wav', durationMs: 3500 },
  'optout-failed': { file: 'ivr/optout-failed.wav', durationMs: 3300 },
  'campaign-message': { file: 'ivr/campaign-message.wav', durationMs: 12_000 },
  'campaign-offer': { file: 'ivr/campaign-offer.wav', durationMs: 5200 },
  goodbye: { file: 'ivr/goodbye.wav', durationMs: 1500 },
} as const satisfies PromptCatalogue;
