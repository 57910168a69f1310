import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/roles.ts';
import type { RouteSpec } from './api-route.ts';

/** The request as Express hands it over, plus what the guard and the interceptor attach. */
export interface ApiRequest extends IncomingMessage {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  principal?: Principal;
  routeSpec?: RouteSpec;
  input?: { params: unknown; query: unknown; body: unknown };
}
