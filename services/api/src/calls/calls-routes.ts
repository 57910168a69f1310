import { z } from 'zod';
import { defineRoute } from '../http/api-route.ts';

const text = z.string().min(1).max(256);
export const callQuerySchema = z.object({
  from: z.string().min(1).describe('range start (ISO-8601), inclusive'),
  to: z.string().min(1).describe('range end (ISO-8601), exclusive; at most 93 days after from'),
  caller: text.optional(),
  callee: text.optional(),
  campaignId: z.string().regex(/^\d{1,19}$/).optional(),
  node: text.optional(),
  trunk: text.optional(),
  direction: z.enum(['inbound', 'outbound', 'transfer']).optional(),
  disposition: text.optional(),
  hangupCause: text.optional(),
  ivrState: text.optional(),
});

const ts = z.string().nullable();
const num = z.union([z.number(), z.string()]).nullable();
/** One call leg as analytics returns it. */
export const callLegSchema = z.object({
  leg_id: z.string(),
  started_at: z.string(),
  direction: z.string(),
  caller: z.string().nullable(),
  callee: z.string().nullable(),
  did: z.string().nullable(),
  campaign_id: z.string().nullable(),
  contact_id: z.string().nullable(),
  attempt_id: z.string().nullable(),
  node: z.string().nullable(),
  engine_id: z.string().nullable(),
  flow_id: z.string().nullable(),
  flow_version: z.number().nullable(),
  parent_leg_id: z.string().nullable(),
  trunk: z.string().nullable(),
  answered_at: ts,
  bridged_at: ts,
  bridged_to: z.string().nullable(),
  transferred_to: z.string().nullable(),
  ended_at: ts,
  hangup_cause: z.string().nullable(),
  sip_code: z.number().nullable(),
  disposition: z.string().nullable(),
  ring_ms: z.number().nullable(),
  talk_ms: z.number().nullable(),
  total_ms: z.number().nullable(),
  pdd_ms: z.number().nullable(),
  mos: num,
  jitter_ms: num,
  packet_loss_pct: num,
  ivr_last_state: z.string().nullable(),
  lost_reason: z.string().nullable(),
});

const rate = z.number().nullable();
export const kpiRowSchema = z.looseObject({
  bucket: z.string(),
  group: z.string().nullable(),
  calls: z.number(),
  answered: z.number(),
  asr: rate,
  ner: rate,
  acd_s: rate,
  aloc_s: rate,
});

export const callsRoutes = {
  search: defineRoute({
    id: 'calls.search',
    method: 'GET',
    path: '/v1/calls',
    summary: 'Search calls by time, number, campaign, node, outcome, IVR state (newest first)',
    tag: 'calls',
    query: callQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().max(512).optional() }),
    response: z.object({ items: z.array(callLegSchema), nextCursor: z.string().nullable() }),
  }),
  timeline: defineRoute({
    id: 'calls.timeline',
    method: 'GET',
    path: '/v1/calls/:legId/timeline',
    summary: 'One call’s legs and merged timeline',
    tag: 'calls',
    params: z.object({ legId: z.string().uuid('legId must be a UUID') }),
    response: z.object({
      legs: z.array(callLegSchema),
      entries: z.array(z.object({ at: z.string(), legId: z.string(), kind: z.string(), detail: z.record(z.string(), z.unknown()) })),
    }),
  }),
  kpis: defineRoute({
    id: 'calls.kpis',
    method: 'GET',
    path: '/v1/kpis',
    summary: 'ASR, NER, ACD, ALOC, quality per interval, optionally by node or trunk',
    tag: 'calls',
    query: callQuerySchema.extend({ interval: z.enum(['5min', 'hour', 'day']).default('hour'), by: z.enum(['node', 'trunk']).optional() }),
    response: z.object({ items: z.array(kpiRowSchema) }),
  }),
  funnel: defineRoute({
    id: 'calls.funnel',
    method: 'GET',
    path: '/v1/funnel',
    summary: 'IVR funnel: legs reaching each state and dropping there',
    tag: 'calls',
    query: callQuerySchema.extend({ flowId: z.string().max(128).optional() }),
    response: z.object({
      items: z.array(z.object({ state: z.string(), reached: z.number(), droppedHere: z.number(), depth: z.number() })),
    }),
  }),
  export: defineRoute({
    id: 'calls.export',
    method: 'GET',
    path: '/v1/calls.csv',
    summary: 'Export matching calls as CSV (streamed)',
    tag: 'calls',
    query: callQuerySchema,
    produces: 'text/csv',
  }),
  tail: defineRoute({
    id: 'calls.tail',
    method: 'GET',
    path: '/v1/calls/tail',
    summary: 'Live call-log events (server-sent events)',
    tag: 'calls',
    produces: 'text/event-stream',
  }),
};
