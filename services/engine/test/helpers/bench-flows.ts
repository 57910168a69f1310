import { type CodeFlow, defineFlow } from '@switchyard/ivr';

/** Prompts of the bench flow (the simulated node knows them). */
export const benchCatalogue = {
  menu: { file: 'ivr/menu.wav', durationMs: 300 },
  hold: { file: 'ivr/hold.wav', durationMs: 600_000 },
} as const;

/** A one-key menu on `prompt` (bargeable) whose `options` lead on; silence twice ends the call. */
const menu = <P extends keyof typeof benchCatalogue, const T extends string>(prompt: P, options: Record<string, T>) => ({
  kind: 'menu' as const,
  prompt: [prompt],
  minDigits: 1,
  maxDigits: 1,
  interDigitTimeoutMs: 2000,
  noInputTimeoutMs: 10_000,
  maxRetries: 1,
  options,
  onExhausted: 'end' as const,
});

/** answer → one-key menu → 1 holds on a long prompt → 2 (pressed once all calls are up) → another long prompt until the caller hangs up. */
export const benchFlow = defineFlow(
  {
    id: 'bench',
    initial: 'greet',
    states: {
      greet: { kind: 'answer', next: 'main' },
      main: menu('menu', { '1': 'hold' }),
      // Waits on a long bargeable prompt for the steady-state key press the bench times.
      hold: menu('hold', { '2': 'after' }),
      after: { kind: 'play', prompts: ['hold'], next: 'end' },
      end: { kind: 'hangup', disposition: 'completed' },
    },
  },
  benchCatalogue,
);

/** The bench's DTMF probe callers: every key 1 ends the playing prompt and starts it again. */
export const probeFlow = defineFlow(
  {
    id: 'probe',
    initial: 'greet',
    states: {
      greet: { kind: 'answer', next: 'loop' },
      loop: menu('hold', { '1': 'loop' }),
      end: { kind: 'hangup', disposition: 'completed' },
    },
  },
  benchCatalogue,
);

/** The `flows` export the engine loads through ENGINE_CODE_FLOWS. */
export const flows: Readonly<Record<string, CodeFlow>> = {
  bench: benchFlow as unknown as CodeFlow,
  probe: probeFlow as unknown as CodeFlow,
};
