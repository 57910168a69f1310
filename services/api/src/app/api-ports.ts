import type { CallsPort } from '../calls/calls-port.ts';
import type { CampaignPort } from '../campaigns/campaign-port.ts';
import type { EdgePort } from '../edge/edge-port.ts';
import type { FleetPort } from '../fleet/fleet-port.ts';
import type { FlowPort } from '../flows/flow-port.ts';

/**
 * The domain libraries behind the API, each behind a small port. A domain whose port is
 * not given has no routes mounted (and none in the OpenAPI document): the API never
 * pretends to serve what it cannot.
 */
export interface ApiPorts {
  fleet?: FleetPort;
  edge?: EdgePort;
  calls?: CallsPort;
  flows?: FlowPort;
  campaigns?: CampaignPort;
}
