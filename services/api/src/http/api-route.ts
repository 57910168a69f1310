import { applyDecorators, HttpCode, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { z } from 'zod';
import type { RouteId } from '../auth/permission-matrix.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Everything about one route in one object: method, path, the permission id, request and
 * response schemas. Nest mounts it, the guard checks it, the interceptor validates with
 * it, and the OpenAPI document is generated from it.
 */
export interface RouteSpec {
  id: RouteId;
  method: HttpMethod;
  /** Express-style path, e.g. `/v1/nodes/:name`. */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** JSON response schema; absent for streaming routes. */
  response?: z.ZodType;
  /** Success status (200 unless set). */
  status?: number;
  /** Non-JSON answers: server-sent events, CSV, HTML. */
  produces?: 'text/event-stream' | 'text/csv' | 'text/html';
  /** Changes state (audited). */
  mutates?: boolean;
}

/** Validated request parts, as the route's schemas output them. */
export interface RouteInput<S extends RouteSpec> {
  params: S['params'] extends z.ZodType ? z.output<S['params']> : Record<string, never>;
  query: S['query'] extends z.ZodType ? z.output<S['query']> : Record<string, never>;
  body: S['body'] extends z.ZodType ? z.output<S['body']> : undefined;
}

/** Declares a route spec (identity with its literal type kept). */
export function defineRoute<const S extends RouteSpec>(spec: S): S {
  return spec;
}

export const ROUTE_SPEC = Symbol('switchyard.route-spec');

/** Mounts a handler for `spec` and attaches the spec for the guard, interceptor and OpenAPI. */
export function ApiRoute(spec: RouteSpec): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: spec.path, method: RequestMethod[spec.method] }),
    HttpCode(spec.status ?? 200),
    SetMetadata(ROUTE_SPEC, spec),
  );
}

/** The specs declared on a controller class's methods, in declaration order. */
export function routeSpecsOf(controller: abstract new (...args: never[]) => unknown): RouteSpec[] {
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((k) => k !== 'constructor' && typeof proto[k] === 'function')
    .map((k) => Reflect.getMetadata(ROUTE_SPEC, proto[k] as object) as RouteSpec | undefined)
    .filter((s): s is RouteSpec => s !== undefined);
}
