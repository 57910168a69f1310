import { type CodeFlow, defineFlow } from '@switchyard/ivr';
import { mainMenuFlow, promptCatalogue, flows as shipped } from '@switchyard/ivr-flows';

// The demo engine's code flows (ENGINE_CODE_FLOWS points here): the shipped ones, plus the
// main menu without its opening-hours branch, so a test call reaches the menu at any hour.
const { hours: _hours, closed: _closed, closed_bye: _closedBye, ...openStates } = mainMenuFlow.spec.states;

/** `main-menu` starting at `welcome` (same states, prompts and options). */
export const mainMenu24hFlow = defineFlow<string>(
  { ...mainMenuFlow.spec, states: openStates as Record<string, (typeof openStates)['welcome']>, id: 'main-menu-24h', name: 'Inbound main menu (always open)', initial: 'welcome' },
  promptCatalogue,
) as unknown as CodeFlow;

/** Every flow the demo engine runs, by id. */
export const flows: Readonly<Record<string, CodeFlow>> = { ...shipped, [mainMenu24hFlow.spec.id]: mainMenu24hFlow };
