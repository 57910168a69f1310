import { controllersFor } from '../../src/app/api-module.ts';
import type { ApiPorts } from '../../src/app/api-ports.ts';
import { type RouteSpec, routeSpecsOf } from '../../src/http/api-route.ts';

/** Every route spec mounted for a set of ports. */
export function mountedSpecs(ports: ApiPorts): RouteSpec[] {
  return controllersFor(ports).flatMap((c) => routeSpecsOf(c));
}

// Path parameter values that are well-formed (so a request reaches the handler) but name
// nothing that exists.
const SAMPLE: Record<string, string> = { id: '999999', name: 'no-such-node', legId: '00000000-0000-4000-8000-000000000000', ip: '192.0.2.1' };

/** A concrete path for a spec, its parameters filled with harmless samples. */
export function samplePath(spec: RouteSpec): string {
  return spec.path.replace(/:([A-Za-z0-9_]+)/g, (_, p: string) => SAMPLE[p] ?? 'x');
}
