import { intOpt, opt, UsageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../output/table.ts';
import { type CommandGroup, print } from './command-context.ts';

interface AllowEntry {
  id: number;
  group: number;
  ip: string;
  mask: number;
  port: number;
  tag: string | null;
}
const allowRow = (e: AllowEntry) => ({ ...e, source: `${e.ip}/${e.mask}` });
const ALLOW_COLUMNS = ['id', 'source', 'group', 'port', 'tag'];

export const USAGE_ALLOW = `switchyard allow list
switchyard allow add <ip|cidr> [--group N] [--port N] [--tag TEXT]
switchyard allow remove <id>`;

/** `switchyard allow ...`: the trunk allow-list. */
export const allowCommand: CommandGroup = async (sub, rest, ctx) => {
  switch (sub) {
    case 'list': {
      const res = await ctx.api.get<{ items: AllowEntry[] }>('/v1/edge/allow');
      print(ctx, res.items, () => renderTable(res.items.map(allowRow), ALLOW_COLUMNS));
      return EXIT.ok;
    }
    case 'add': {
      if (!rest[0]) throw new UsageError('a source (ip or cidr) is required');
      const e = await ctx.api.post<AllowEntry>('/v1/edge/allow', {
        source: rest[0],
        group: intOpt(ctx.args, 'group'),
        port: intOpt(ctx.args, 'port'),
        tag: opt(ctx.args, 'tag'),
      });
      print(ctx, e, () => renderTable([allowRow(e)], ALLOW_COLUMNS));
      return EXIT.ok;
    }
    case 'remove': {
      if (!rest[0] || !/^\d+$/.test(rest[0])) throw new UsageError('an entry id is required');
      const r = await ctx.api.delete<{ removed: boolean }>(`/v1/edge/allow/${rest[0]}`);
      print(ctx, r, () => (r.removed ? `removed ${rest[0]}` : `no entry ${rest[0]}`));
      return r.removed ? EXIT.ok : EXIT.notFound;
    }
    default:
      throw new UsageError(USAGE_ALLOW);
  }
};

export const USAGE_BAN = `switchyard ban <ip> [--seconds N]
switchyard ban list
switchyard ban remove <ip>
switchyard pike`;

/** `switchyard ban ...`: runtime bans at the edge. */
export const banCommand: CommandGroup = async (sub, rest, ctx) => {
  if (sub === 'list') {
    const res = await ctx.api.get<{ items: { ip: string }[] }>('/v1/edge/bans');
    print(ctx, res.items, () => renderTable(res.items, ['ip']));
    return EXIT.ok;
  }
  if (sub === 'remove') {
    if (!rest[0]) throw new UsageError('an ip is required');
    const r = await ctx.api.delete<{ removed: boolean }>(`/v1/edge/bans/${encodeURIComponent(rest[0])}`);
    print(ctx, r, () => (r.removed ? `unbanned ${rest[0]}` : `${rest[0]} was not banned`));
    return r.removed ? EXIT.ok : EXIT.notFound;
  }
  if (!sub) throw new UsageError(USAGE_BAN);
  const r = await ctx.api.post<{ ip: string; seconds: number }>('/v1/edge/bans', { ip: sub, seconds: intOpt(ctx.args, 'seconds') });
  print(ctx, r, () => `banned ${r.ip} for ${r.seconds}s`);
  return EXIT.ok;
};

/** `switchyard pike`: who Pike is blocking. */
export const pikeCommand: CommandGroup = async (_sub, _rest, ctx) => {
  const res = await ctx.api.get<{ items: { ip: string; status: string; hits: number[] }[] }>('/v1/edge/pike');
  print(ctx, res.items, () => renderTable(res.items, ['ip', 'status', 'hits']));
  return EXIT.ok;
};
