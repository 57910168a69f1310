import { z } from 'zod';
import { campaignInputSchema } from '@switchyard/dialer';
import { defineRoute } from '../http/api-route.ts';

export const campaignSchema = z.looseObject({ id: z.string(), name: z.string(), flowId: z.string(), state: z.string() });
const idParams = z.object({ id: z.string().regex(/^\d{1,19}$/, 'a campaign id') });
const progressSchema = z.record(z.string(), z.union([z.number(), z.string()]));

export const campaignRoutes = {
  list: defineRoute({
    id: 'campaigns.list',
    method: 'GET',
    path: '/v1/campaigns',
    summary: 'Campaigns, newest first',
    tag: 'campaigns',
    response: z.object({ items: z.array(campaignSchema) }),
  }),
  get: defineRoute({ id: 'campaigns.get', method: 'GET', path: '/v1/campaigns/:id', summary: 'One campaign', tag: 'campaigns', params: idParams, response: campaignSchema }),
  create: defineRoute({
    id: 'campaigns.create',
    method: 'POST',
    path: '/v1/campaigns',
    summary: 'Create a draft campaign (windows, pacing, retry policy, allowed prefixes)',
    tag: 'campaigns',
    // The dialer's own schema: one definition of a valid campaign, documented here as it is.
    body: campaignInputSchema,
    response: campaignSchema,
    status: 201,
    mutates: true,
  }),
  importContacts: defineRoute({
    id: 'campaigns.import',
    method: 'POST',
    path: '/v1/campaigns/:id/contacts',
    summary: 'Import contacts from a CSV body (text/csv, streamed); bad rows go to the error report',
    tag: 'campaigns',
    params: idParams,
    query: z.object({ defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'an ISO country code').optional() }),
    response: z.object({ importId: z.string(), totalRows: z.number(), imported: z.number(), failed: z.number() }),
    status: 201,
    mutates: true,
  }),
  importErrors: defineRoute({
    id: 'campaigns.import.errors',
    method: 'GET',
    path: '/v1/campaigns/:id/imports/:importId/errors',
    summary: 'The error report of one import (CSV: row, reason, detail, raw)',
    tag: 'campaigns',
    params: z.object({ id: z.string().regex(/^\d{1,19}$/), importId: z.string().regex(/^\d{1,19}$/) }),
    produces: 'text/csv',
  }),
  control: defineRoute({
    id: 'campaigns.control',
    method: 'POST',
    path: '/v1/campaigns/:id/control/:action',
    summary: 'Start, pause, resume or stop a campaign',
    tag: 'campaigns',
    params: z.object({ id: z.string().regex(/^\d{1,19}$/), action: z.enum(['start', 'pause', 'resume', 'stop']) }),
    response: campaignSchema,
    mutates: true,
  }),
  progress: defineRoute({
    id: 'campaigns.progress',
    method: 'GET',
    path: '/v1/campaigns/:id/progress',
    summary: 'Progress: contacts by state, outcomes, skips, abandon rate vs budget',
    tag: 'campaigns',
    params: idParams,
    response: progressSchema,
  }),
  progressStream: defineRoute({
    id: 'campaigns.progress.stream',
    method: 'GET',
    path: '/v1/campaigns/:id/progress/stream',
    summary: 'Live progress (server-sent events; one event per change)',
    tag: 'campaigns',
    params: idParams,
    produces: 'text/event-stream',
  }),
};
