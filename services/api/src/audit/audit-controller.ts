import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import { TOKENS } from '../app/injection-tokens.ts';
import { ApiRoute, defineRoute, type RouteInput } from '../http/api-route.ts';
import { Input } from '../http/input-decorator.ts';
import { iso, isoDate } from '../http/iso-date.ts';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../http/pagination.ts';
import type { AuditLog } from './audit-log.ts';

export const auditEntrySchema = z.object({
  id: z.string(),
  at: isoDate,
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditRoutes = {
  list: defineRoute({
    id: 'audit.list',
    method: 'GET',
    path: '/v1/audit',
    summary: 'The audit log, newest first (who, what, when, before/after)',
    tag: 'auth',
    query: pageQuerySchema.extend({ entity: z.string().max(64).optional(), entityId: z.string().max(128).optional() }),
    response: pageSchema(auditEntrySchema),
  }),
};

const cursorKey = z.object({ id: z.string() });

/** Reads the audit log. */
@Controller()
export class AuditController {
  constructor(@Inject(TOKENS.auditLog) private readonly audit: AuditLog) {}

  @ApiRoute(auditRoutes.list)
  async list(@Input() input: RouteInput<typeof auditRoutes.list>) {
    const { limit, cursor, entity, entityId } = input.query;
    const after = decodeCursor(cursor, cursorKey);
    const rows = await this.audit.list({ limit: limit + 1, beforeId: after?.id ?? null, entity, entityId });
    const page = toPage(rows, limit, (r) => ({ id: r.id }));
    return { items: page.items.map((r) => ({ ...r, at: iso(r.at) })), nextCursor: page.nextCursor };
  }
}
