import { z } from 'zod';
import { PERMISSIONS, PUBLIC } from '../auth/permission-matrix.ts';
import { errorBodySchema } from '../http/api-error.ts';
import type { RouteSpec } from '../http/api-route.ts';

type JsonSchema = Record<string, unknown>;

/** `/v1/nodes/:name` → `/v1/nodes/{name}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function schemaOf(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const js = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  delete js.$schema;
  return js;
}

function parametersOf(obj: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!obj) return [];
  const js = schemaOf(obj, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' ? true : required.has(name),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    schema,
  }));
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

function operationOf(spec: RouteSpec) {
  const allowed = PERMISSIONS[spec.id];
  const isPublic = allowed === PUBLIC;
  const status = String(spec.status ?? 200);
  const ok = spec.response
    ? { description: 'OK', content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } }
    : spec.produces
      ? { description: 'OK', content: { [spec.produces]: { schema: { type: 'string' } } } }
      : { description: 'No content' };
  const responses: Record<string, unknown> = { [status]: ok };
  if (spec.params || spec.query || spec.body) responses['400'] = errorResponse('Invalid request (field-level messages)');
  if (!isPublic) {
    responses['401'] = errorResponse('Missing, unknown or revoked token');
    responses['403'] = errorResponse('The token’s role may not call this route');
    responses['429'] = errorResponse('Rate limit for this token exceeded');
  }
  if (spec.params) responses['404'] = errorResponse('Not found');
  return {
    operationId: spec.id,
    summary: spec.summary,
    tags: [spec.tag],
    ...(isPublic ? { security: [] } : { 'x-roles': allowed }),
    parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document for the given routes, generated from their zod schemas. */
export function buildOpenApiDocument(specs: readonly RouteSpec[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const p = openApiPath(spec.path);
    paths[p] ??= {};
    paths[p][spec.method.toLowerCase()] = operationOf(spec);
  }
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Switchyard control-plane API. Bearer tokens; roles admin, ops, campaign, analyst.' },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: schemaOf(errorBodySchema, 'output') },
    },
  };
}
export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
