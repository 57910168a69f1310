import { opt, UsageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../output/table.ts';
import { type CommandGroup, print } from './command-context.ts';

const ROLES = ['admin', 'ops', 'campaign', 'analyst'];

export const USAGE_TOKEN = `switchyard token create --name NAME --role admin|ops|campaign|analyst [--db]
    --db writes straight to Postgres (DATABASE_URL): how the first admin token is made
switchyard token list
switchyard token revoke <id>
switchyard whoami`;

/** `switchyard token ...`: API tokens (the clear token is printed once, at creation). */
export const tokenCommand: CommandGroup = async (sub, rest, ctx) => {
  switch (sub) {
    case 'create': {
      const name = opt(ctx.args, 'name', true);
      const role = opt(ctx.args, 'role', true);
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const created = ctx.args.options.db ? await createInDb(ctx.env, name, role) : await ctx.api.post<Created>('/v1/tokens', { name, role });
      print(ctx, created, () => `${created.token}\n(token ${created.tokenInfo.id}, ${role}; shown once: store it now)`);
      return EXIT.ok;
    }
    case 'list': {
      const res = await ctx.api.get<{ items: Record<string, unknown>[] }>('/v1/tokens', { limit: 500 });
      print(ctx, res.items, () => renderTable(res.items, ['id', 'name', 'role', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt']));
      return EXIT.ok;
    }
    case 'revoke': {
      if (!rest[0]) throw new UsageError('a token id is required');
      const t = await ctx.api.delete<Record<string, unknown>>(`/v1/tokens/${encodeURIComponent(rest[0])}`);
      print(ctx, t, () => `revoked ${rest[0]}`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(USAGE_TOKEN);
  }
};

interface Created {
  token: string;
  tokenInfo: { id: string };
}

// Bootstrap path: no token exists yet, so the first admin token is written to Postgres
// directly (and audited as made by the CLI).
async function createInDb(env: Record<string, string | undefined>, name: string, role: string): Promise<Created> {
  const { createDb } = await import('@switchyard/core');
  const { TokenRepository, AuditLog } = await import('@switchyard/api');
  const db = createDb(env.DATABASE_URL ?? 'postgres://switchyard:switchyard@127.0.0.1:5432/switchyard', { max: 1 });
  try {
    const actor = `cli:${env.USER ?? 'unknown'}`;
    const { token, view } = await new TokenRepository(db).create(name, role as 'admin', actor);
    await new AuditLog(db).record({ actor, action: 'token.create', entity: 'api_token', entityId: view.id, before: null, after: { ...view } });
    return { token, tokenInfo: { id: view.id } };
  } finally {
    await db.destroy();
  }
}

/** `switchyard whoami`. */
export const whoamiCommand: CommandGroup = async (_sub, _rest, ctx) => {
  const me = await ctx.api.get<{ tokenId: string; name: string; role: string }>('/v1/whoami');
  print(ctx, me, () => `${me.name} (${me.role}, token ${me.tokenId})`);
  return EXIT.ok;
};
