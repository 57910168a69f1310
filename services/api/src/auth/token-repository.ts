import type { Database, Kysely } from '@switchyard/core';
import { generateApiToken, hashApiToken } from './api-token.ts';
import type { Principal, Role } from './roles.ts';

/** A token as listed (never with its hash or clear value). */
export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** API tokens in Postgres (`api_tokens`), stored as SHA-256 hashes. */
export class TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a token; the clear value is returned here and nowhere else. */
  async create(name: string, role: Role, createdBy: string | null): Promise<{ token: string; view: ApiTokenView }> {
    const t = generateApiToken();
    const row = await this.db
      .insertInto('api_tokens')
      .values({ name, role, token_hash: t.hash, prefix: t.prefix, created_by: createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token: t.token, view: toView(row) };
  }

  /** The principal for a clear token, or null when unknown or revoked. Marks it used (at most once a minute). */
  async authenticate(token: string): Promise<Principal | null> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'last_used_at'])
      .where('token_hash', '=', hashApiToken(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
      // Bookkeeping only: never hold a request on it.
      void this.db
        .updateTable('api_tokens')
        .set({ last_used_at: new Date() })
        .where('id', '=', row.id)
        .execute()
        .catch(() => {});
    }
    return { tokenId: String(row.id), name: row.name, role: row.role };
  }

  /** Tokens newest first, keyset-paginated by id. */
  async list(limit: number, beforeId: string | null): Promise<ApiTokenView[]> {
    let q = this.db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').limit(limit);
    if (beforeId) q = q.where('id', '<', beforeId);
    return (await q.execute()).map(toView);
  }

  async get(id: string): Promise<ApiTokenView | null> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toView(row) : null;
  }

  /** Revokes a token (idempotent); returns the row after, or null when unknown. */
  async revoke(id: string): Promise<ApiTokenView | null> {
    await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return this.get(id);
  }
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
function toView(r: TokenRow): ApiTokenView {
  return {
    id: String(r.id),
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}
