import { z } from 'zod';
import { defineRoute } from '../http/api-route.ts';

const flowDefinition = z
  .record(z.string(), z.unknown())
  .describe('A data flow (id, name, entry, agent, menus...): validated by @switchyard/ivr, errors name each field');
const idParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a flow id') });

export const flowRoutes = {
  list: defineRoute({
    id: 'flows.list',
    method: 'GET',
    path: '/v1/flows',
    summary: 'Flows and their published versions',
    tag: 'flows',
    response: z.object({
      items: z.array(z.object({ id: z.string(), name: z.string(), publishedVersion: z.number().nullable(), updatedAt: z.string() })),
    }),
  }),
  lint: defineRoute({
    id: 'flows.lint',
    method: 'POST',
    path: '/v1/flows/lint',
    summary: 'Lint a data flow without publishing it',
    tag: 'flows',
    body: flowDefinition,
    response: z.object({
      ok: z.boolean(),
      issues: z.array(z.object({ flowId: z.string(), state: z.string(), rule: z.string(), message: z.string() })),
    }),
  }),
  publish: defineRoute({
    id: 'flows.publish',
    method: 'POST',
    path: '/v1/flows',
    summary: 'Publish a data flow as a new Postgres menu version (must lint clean; idempotent)',
    tag: 'flows',
    body: flowDefinition,
    response: z.object({ flowId: z.string(), version: z.number(), created: z.boolean() }),
    status: 201,
    mutates: true,
  }),
  graph: defineRoute({
    id: 'flows.graph',
    method: 'GET',
    path: '/v1/flows/:id/graph',
    summary: 'The published flow as a Mermaid state diagram',
    tag: 'flows',
    params: idParams,
    response: z.object({ flowId: z.string(), mermaid: z.string() }),
  }),
  simulate: defineRoute({
    id: 'flows.simulate',
    method: 'POST',
    path: '/v1/flows/:id/simulate',
    summary: 'Run the published flow against a caller script on a virtual clock',
    tag: 'flows',
    params: idParams,
    body: z.object({
      script: z.string().min(1).max(2000).describe('e.g. "wait 2s; press 1"'),
      at: z.string().optional().describe('virtual start time, ISO-8601'),
      from: z.string().max(32).optional(),
      to: z.string().max(32).optional(),
    }),
    response: z.object({
      path: z.array(z.string()),
      transcript: z.array(z.string()),
      disposition: z.string(),
      end: z.string(),
      lastState: z.string(),
    }),
  }),
};
