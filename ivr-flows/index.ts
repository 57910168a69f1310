import type { CodeFlow } from '@switchyard/ivr';
import { campaignOutboundFlow } from './campaign-outbound.ts';
import { mainMenuFlow } from './main-menu.ts';

export { campaignOutboundFlow } from './campaign-outbound.ts';
export { mainMenuFlow } from './main-menu.ts';
export { promptCatalogue } from './prompt-catalogue.ts';
export { simulationLookups } from './sim-lookups.ts';

/** Every shipped flow, by id (the linter runs over all of them in `npm test`). */
export const flows: Readonly<Record<string, CodeFlow>> = {
  [mainMenuFlow.spec.id]: mainMenuFlow as unknown as CodeFlow,
  [campaignOutboundFlow.spec.id]: campaignOutboundFlow as unknown as CodeFlow,
};
