import { defineFlow } from '@switchyard/ivr';
import { promptCatalogue } from './prompt-catalogue.ts';

/**
 * Outbound campaign: play the message, then 1 for an agent, 9 to opt out (confirmed, then
 * `dnc.add`, which the dialer implements), 0 an agent. Silence ends the call politely.
 */
export const campaignOutboundFlow = defineFlow(
  {
    id: 'campaign-outbound',
    name: 'Outbound campaign',
    initial: 'message',
    states: {
      message: { kind: 'play', prompts: ['campaign-message'], bargeIn: true, next: 'offer' },
      offer: {
        kind: 'menu',
        prompt: ['campaign-offer'],
        invalidPrompt: ['invalid'],
        noInputPrompt: ['no-input'],
        interDigitTimeoutMs: 3000,
        noInputTimeoutMs: 6000,
        maxRetries: 1,
        options: { '1': 'agent', '9': 'optout_confirm', '0': 'agent' },
        onExhausted: 'goodbye',
      },
      optout_confirm: {
        kind: 'menu',
        confirm: true,
        prompt: ['optout-confirm'],
        invalidPrompt: ['invalid'],
        noInputPrompt: ['no-input'],
        interDigitTimeoutMs: 3000,
        noInputTimeoutMs: 6000,
        maxRetries: 1,
        options: { '1': 'dnc', '2': 'offer', '*': 'offer', '0': 'agent' },
        onExhausted: 'goodbye',
      },
      dnc: {
        kind: 'lookup',
        name: 'dnc.add',
        irreversible: true,
        args: { number: '{{dialled}}', campaign: '{{campaign_id}}', reason: 'campaign-optout' },
        timeoutMs: 3000,
        next: 'optout_done',
        fallback: 'optout_failed',
      },
      optout_done: { kind: 'play', prompts: ['optout-done'], next: 'optout_bye' },
      optout_bye: { kind: 'hangup', disposition: 'opted-out' },
      optout_failed: { kind: 'play', prompts: ['optout-failed'], next: 'agent' },
      agent: { kind: 'transfer', target: { kind: 'queue', queue: 'campaign-agents' }, disposition: 'agent' },
      goodbye: { kind: 'play', prompts: ['goodbye'], next: 'bye' },
      bye: { kind: 'hangup', disposition: 'no-response' },
    },
  },
  promptCatalogue,
);
