/** A media node as the fleet library reports it. */
export interface FleetNode {
  name: string;
  state: string;
  sipUri: string;
  eslHost: string;
  eslPort: number;
  weight: number;
  setId: number;
  drainStartedAt: Date | null;
  sip: { state: string; flags: string; setId: number } | null;
  eslUp: boolean;
  inFlightCalls: number;
}

export interface AddNode {
  name: string;
  eslHost: string;
  eslPort: number;
  sipUri: string;
  weight?: number;
  setId?: number;
  drainTimeoutSecs?: number;
}

/**
 * Node lifecycle behind the API; `@switchyard/fleet`'s FleetManager fits it as it is.
 * Implementations throw FleetInputError (unknown node → 404, bad value → 400, wrong
 * state → 409).
 */
export interface FleetPort {
  list(opts?: { includeRemoved?: boolean }): Promise<FleetNode[]>;
  view(name: string): Promise<FleetNode>;
  addNode(input: AddNode): Promise<FleetNode>;
  setWeight(name: string, weight: number): Promise<FleetNode>;
  drain(name: string): Promise<FleetNode>;
  resume(name: string): Promise<FleetNode>;
  remove(name: string, opts?: { force?: boolean }): Promise<FleetNode>;
}
