import { Controller, Inject } from '@nestjs/common';
import { TOKENS } from '../app/injection-tokens.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actorOf, type Principal } from '../auth/roles.ts';
import type { ApiTokenView, TokenRepository } from '../auth/token-repository.ts';
import { ApiError } from '../http/api-error.ts';
import { ApiRoute, type RouteInput } from '../http/api-route.ts';
import { Caller, Input } from '../http/input-decorator.ts';
import { iso } from '../http/iso-date.ts';
import { decodeCursor, toPage } from '../http/pagination.ts';
import { z } from 'zod';
import { tokenRoutes as R } from './token-routes.ts';

const cursorKey = z.object({ id: z.string() });

/** Token management: create (shown once), list, revoke, whoami. */
@Controller()
export class TokensController {
  constructor(
    @Inject(TOKENS.tokenRepository) private readonly tokens: TokenRepository,
    @Inject(TOKENS.auditLog) private readonly audit: AuditLog,
  ) {}

  @ApiRoute(R.create)
  async create(@Input() input: RouteInput<typeof R.create>, @Caller() who: Principal) {
    const { token, view } = await this.tokens.create(input.body.name, input.body.role, actorOf(who));
    const after = show(view);
    await this.audit.record({ actor: actorOf(who), action: 'token.create', entity: 'api_token', entityId: view.id, before: null, after });
    return { token, tokenInfo: after };
  }

  @ApiRoute(R.list)
  async list(@Input() input: RouteInput<typeof R.list>) {
    const after = decodeCursor(input.query.cursor, cursorKey);
    const rows = await this.tokens.list(input.query.limit + 1, after?.id ?? null);
    const page = toPage(rows, input.query.limit, (r) => ({ id: r.id }));
    return { items: page.items.map(show), nextCursor: page.nextCursor };
  }

  @ApiRoute(R.revoke)
  async revoke(@Input() input: RouteInput<typeof R.revoke>, @Caller() who: Principal) {
    const before = await this.tokens.get(input.params.id);
    if (!before) throw ApiError.notFound('token', input.params.id);
    const after = await this.tokens.revoke(input.params.id);
    if (!after) throw ApiError.notFound('token', input.params.id);
    if (!before.revokedAt) {
      await this.audit.record({ actor: actorOf(who), action: 'token.revoke', entity: 'api_token', entityId: before.id, before: show(before), after: show(after) });
    }
    return show(after);
  }

  @ApiRoute(R.whoami)
  whoami(@Caller() who: Principal) {
    return who;
  }
}

function show(v: ApiTokenView) {
  return { ...v, createdAt: iso(v.createdAt), lastUsedAt: iso(v.lastUsedAt), revokedAt: iso(v.revokedAt) };
}
