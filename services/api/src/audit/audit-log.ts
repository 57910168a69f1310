import type { Database, Kysely } from '@switchyard/core';

/** One change: who did what to which entity, with the state before and after. */
export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
}

/** The `audit_log` table: append-only record of every change made through the API. */
export class AuditLog {
  constructor(private readonly db: Kysely<Database>) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entity_id: e.entityId,
        before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
        after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
      })
      .execute();
  }

  /** Newest first, keyset-paginated by id, optionally for one entity. */
  async list(opts: { limit: number; beforeId: string | null; entity?: string; entityId?: string }): Promise<AuditRecord[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.beforeId) q = q.where('id', '<', opts.beforeId);
    if (opts.entity) q = q.where('entity', '=', opts.entity);
    if (opts.entityId) q = q.where('entity_id', '=', opts.entityId);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
    }));
  }
}
