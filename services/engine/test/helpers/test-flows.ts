import { type CodeFlow, defineFlow } from '@switchyard/ivr';

/** Prompts the test flows play; fs-sim knows these files (short, so tests are quick). */
export const testCatalogue = {
  welcome: { file: 'ivr/welcome.wav', durationMs: 150 },
  menu: { file: 'ivr/menu.wav', durationMs: 400 },
  bye: { file: 'ivr/bye.wav', durationMs: 100 },
  long: { file: 'ivr/long.wav', durationMs: 30_000 },
  /** Catalogued as short; the node's file runs a minute (a stalled node looks like this). */
  stall: { file: 'ivr/stall.wav', durationMs: 100 },
} as const;

/** The files on the simulated node, path → ms. */
export const nodeFiles: Record<string, number> = {
  ...Object.fromEntries(Object.values(testCatalogue).map((p) => [p.file, p.durationMs])),
  'ivr/stall.wav': 60_000,
};

/** One key, short timeouts. */
const oneKey = { minDigits: 1, maxDigits: 1, interDigitTimeoutMs: 2000, noInputTimeoutMs: 4000, maxRetries: 1 } as const;

/** answer → welcome → menu: 1 transfers to the sales queue, 2 says bye and hangs up. */
export const menuFlow = defineFlow(
  {
    id: 't-menu',
    initial: 'greet',
    states: {
      greet: { kind: 'answer', next: 'welcome' },
      welcome: { kind: 'play', prompts: ['welcome'], next: 'main' },
      main: {
        kind: 'menu',
        prompt: ['menu'],
        ...oneKey,
        options: { '1': 'sales', '2': 'bye' },
        onExhausted: 'bye',
      },
      sales: { kind: 'transfer', target: { kind: 'queue', queue: 'sales' }, disposition: 'sales' },
      bye: { kind: 'play', prompts: ['bye'], next: 'end' },
      end: { kind: 'hangup', disposition: 'completed' },
    },
  },
  testCatalogue,
);

/** answer → a 30 s prompt → menu (so a call stays up while a test breaks things). */
export const longFlow = defineFlow(
  {
    id: 't-long',
    initial: 'greet',
    states: {
      greet: { kind: 'answer', next: 'hold' },
      hold: { kind: 'play', prompts: ['long'], bargeIn: true, next: 'main' },
      main: {
        kind: 'menu',
        prompt: ['menu'],
        ...oneKey,
        options: { '2': 'bye' },
        onExhausted: 'bye',
      },
      bye: { kind: 'play', prompts: ['bye'], next: 'end' },
      end: { kind: 'hangup', disposition: 'completed' },
    },
  },
  testCatalogue,
);

/** answer → the stalling prompt → hangup. */
export const stallFlow = defineFlow(
  {
    id: 't-stall',
    initial: 'greet',
    states: {
      greet: { kind: 'answer', next: 'stuck' },
      stuck: { kind: 'play', prompts: ['stall'], next: 'end' },
      end: { kind: 'hangup', disposition: 'completed' },
    },
  },
  testCatalogue,
);

/** answer → 9 then 1 puts the caller on the global DNC list (`dnc.add`) → hangup. */
export const optoutFlow = defineFlow(
  {
    id: 't-optout',
    initial: 'greet',
    states: {
      greet: { kind: 'answer', next: 'main' },
      main: { kind: 'menu', prompt: ['menu'], ...oneKey, options: { '9': 'confirm' }, onExhausted: 'end' },
      confirm: { kind: 'menu', prompt: ['menu'], ...oneKey, confirm: true, options: { '1': 'optout', '2': 'end' }, onExhausted: 'end' },
      optout: { kind: 'lookup', name: 'dnc.add', irreversible: true, args: { number: '{{caller}}', reason: 'ivr-optout' }, timeoutMs: 3000, next: 'done', fallback: 'failed' },
      done: { kind: 'hangup', disposition: 'opted-out' },
      failed: { kind: 'hangup', disposition: 'optout-failed' },
      end: { kind: 'hangup', disposition: 'completed' },
    },
  },
  testCatalogue,
);

export const testFlows: Readonly<Record<string, CodeFlow>> = {
  [stallFlow.spec.id]: stallFlow as unknown as CodeFlow,
  [menuFlow.spec.id]: menuFlow as unknown as CodeFlow,
  [longFlow.spec.id]: longFlow as unknown as CodeFlow,
};

/** The `flows` export child-process engines load through ENGINE_CODE_FLOWS. */
export const flows = testFlows;
