import { z } from 'zod';
import { defineRoute } from '../http/api-route.ts';

export const allowEntrySchema = z.object({
  id: z.number(),
  group: z.number(),
  ip: z.string(),
  mask: z.number(),
  port: z.number(),
  tag: z.string().nullable(),
});
const ipParams = z.object({ ip: z.union([z.ipv4(), z.ipv6()]) });

export const edgeRoutes = {
  allowList: defineRoute({
    id: 'edge.allow.list',
    method: 'GET',
    path: '/v1/edge/allow',
    summary: 'The trunk allow-list (default deny)',
    tag: 'edge',
    response: z.object({ items: z.array(allowEntrySchema) }),
  }),
  allowCreate: defineRoute({
    id: 'edge.allow.create',
    method: 'POST',
    path: '/v1/edge/allow',
    summary: 'Allow a source address or CIDR (reaches Kamailio without a restart)',
    tag: 'edge',
    body: z.object({
      source: z.string().min(2).max(60).describe('IP or CIDR, e.g. 203.0.113.0/24'),
      group: z.number().int().min(1).max(99_999).optional(),
      port: z.number().int().min(0).max(32_767).optional(),
      tag: z.string().max(64).nullable().optional(),
    }),
    response: allowEntrySchema,
    status: 201,
    mutates: true,
  }),
  allowRemove: defineRoute({
    id: 'edge.allow.remove',
    method: 'DELETE',
    path: '/v1/edge/allow/:id',
    summary: 'Remove an allow-list entry',
    tag: 'edge',
    params: z.object({ id: z.coerce.number().int().positive() }),
    response: z.object({ removed: z.boolean() }),
    mutates: true,
  }),
  bansList: defineRoute({
    id: 'edge.bans.list',
    method: 'GET',
    path: '/v1/edge/bans',
    summary: 'Banned sources',
    tag: 'edge',
    response: z.object({ items: z.array(z.object({ ip: z.string() })) }),
  }),
  bansCreate: defineRoute({
    id: 'edge.bans.create',
    method: 'POST',
    path: '/v1/edge/bans',
    summary: 'Ban a source for a while',
    tag: 'edge',
    body: z.object({ ip: z.union([z.ipv4(), z.ipv6()]), seconds: z.number().int().min(1).max(2_592_000).default(3600) }),
    response: z.object({ ip: z.string(), seconds: z.number() }),
    status: 201,
    mutates: true,
  }),
  bansRemove: defineRoute({
    id: 'edge.bans.remove',
    method: 'DELETE',
    path: '/v1/edge/bans/:ip',
    summary: 'Lift a ban',
    tag: 'edge',
    params: ipParams,
    response: z.object({ removed: z.boolean() }),
    mutates: true,
  }),
  pike: defineRoute({
    id: 'edge.pike.view',
    method: 'GET',
    path: '/v1/edge/pike',
    summary: 'Sources Pike is tracking (HOT = blocked now)',
    tag: 'edge',
    response: z.object({ items: z.array(z.object({ ip: z.string(), status: z.string(), hits: z.array(z.number()) })) }),
  }),
};
