import { type CodeFlow, defineFlow } from '@switchyard/ivr';

/** Prompts of the bench flow (the simulated node knows them). */
export const benchCatalogue = {
  menu: { file: 'ivr/menu.wav', durationMs: 300 },
  hold: { file: 'ivr/hold.wav', durationMs: 600_000 },
} as const;

/** answer → one-key menu → 1 holds on a long prompt → 2 (pressed once all calls are up) → another long prompt until the caller hangs up. */
export const benchFlow = defineFlow(
  {
    id: 'bench',
    initial: 'greet',
    states: {
      greet: { kind: 'answer', next: 'main' },
      main: {
        kind: 'menu',
        prompt: ['menu'],
        minDigits: 1,
        maxDigits: 1,
        interDigitTimeoutMs: 2000,
        noInputTimeoutMs: 10_000,
        maxRetries: 1,
        options: { '1': 'hold' },
        onExhausted: 'end',
      },
      // Waits on a long bargeable prompt for the steady-state key press the bench times.
      hold: {
        kind: 'menu',
        prompt: ['hold'],
        minDigits: 1,
        maxDigits: 1,
        interDigitTimeoutMs: 2000,
        noInputTimeoutMs: 10_000,
        maxRetries: 1,
        options: { '2': 'after' },
        onExhausted: 'end',
      },
      after: { kind: 'play', prompts: ['hold'], next: 'end' },
      end: { kind: 'hangup', disposition: 'completed' },
    },
  },
  benchCatalogue,
);

/** The `flows` export the engine loads through ENGINE_CODE_FLOWS. */
export const flows: Readonly<Record<string, CodeFlow>> = { bench: benchFlow as unknown as CodeFlow };
