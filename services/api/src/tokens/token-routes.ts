import { z } from 'zod';
import { roleSchema } from '../auth/roles.ts';
import { defineRoute } from '../http/api-route.ts';
import { isoDate } from '../http/iso-date.ts';
import { pageQuerySchema, pageSchema } from '../http/pagination.ts';

export const tokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  createdBy: z.string().nullable(),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
});

const idParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'a numeric token id') });

export const tokenRoutes = {
  create: defineRoute({
    id: 'tokens.create',
    method: 'POST',
    path: '/v1/tokens',
    summary: 'Create an API token (the clear token is in this answer only)',
    tag: 'auth',
    body: z.object({ name: z.string().min(1).max(100), role: roleSchema }),
    response: z.object({ token: z.string(), tokenInfo: tokenViewSchema }),
    status: 201,
    mutates: true,
  }),
  list: defineRoute({
    id: 'tokens.list',
    method: 'GET',
    path: '/v1/tokens',
    summary: 'List API tokens (never their values)',
    tag: 'auth',
    query: pageQuerySchema,
    response: pageSchema(tokenViewSchema),
  }),
  revoke: defineRoute({
    id: 'tokens.revoke',
    method: 'DELETE',
    path: '/v1/tokens/:id',
    summary: 'Revoke an API token',
    tag: 'auth',
    params: idParams,
    response: tokenViewSchema,
    mutates: true,
  }),
  whoami: defineRoute({
    id: 'tokens.whoami',
    method: 'GET',
    path: '/v1/whoami',
    summary: 'The calling token’s name and role',
    tag: 'auth',
    response: z.object({ tokenId: z.string(), name: z.string(), role: roleSchema }),
  }),
};
