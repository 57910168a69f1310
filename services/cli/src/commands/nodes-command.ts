import { intOpt, opt, UsageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../output/table.ts';
import { type CommandGroup, print } from './command-context.ts';

interface Node {
  name: string;
  state: string;
  sipUri: string;
  eslHost: string;
  eslPort: number;
  weight: number;
  setId: number;
  eslUp: boolean;
  inFlightCalls: number;
  sip: { state: string } | null;
}
const COLUMNS = ['name', 'state', 'sipUri', 'esl', 'weight', 'setId', 'sip', 'eslUp', 'calls'];
const row = (n: Node) => ({ ...n, esl: `${n.eslHost}:${n.eslPort}`, sip: n.sip?.state ?? '-', calls: n.inFlightCalls });
const one = (n: Node) => renderTable([row(n)], COLUMNS);

export const USAGE_NODES = `switchyard nodes list [--all]
switchyard nodes add <name> --esl <host:port> --sip <sip:host:port> [--weight N] [--set N] [--drain-timeout SECS]
switchyard nodes show|drain|resume <name>
switchyard nodes weight <name> <N>
switchyard nodes remove <name> [--force]`;

/** `switchyard nodes ...`: the media fleet. */
export const nodesCommand: CommandGroup = async (sub, rest, ctx) => {
  const name = rest[0];
  const need = () => {
    if (!name) throw new UsageError('a node name is required');
    return encodeURIComponent(name);
  };
  switch (sub) {
    case 'list': {
      const res = await ctx.api.get<{ items: Node[] }>('/v1/nodes', { includeRemoved: ctx.args.options.all ? 'true' : undefined });
      print(ctx, res.items, () => renderTable(res.items.map(row), COLUMNS));
      return EXIT.ok;
    }
    case 'add': {
      const esl = opt(ctx.args, 'esl', true);
      const m = /^(.+):(\d+)$/.exec(esl);
      if (!m) throw new UsageError('--esl must be host:port');
      const body = {
        name: need(),
        eslHost: m[1],
        eslPort: Number(m[2]),
        sipUri: opt(ctx.args, 'sip', true),
        weight: intOpt(ctx.args, 'weight'),
        setId: intOpt(ctx.args, 'set'),
        drainTimeoutSecs: intOpt(ctx.args, 'drain-timeout'),
      };
      const n = await ctx.api.post<Node>('/v1/nodes', body);
      print(ctx, n, () => one(n));
      return EXIT.ok;
    }
    case 'show':
      return show(await ctx.api.get<Node>(`/v1/nodes/${need()}`));
    case 'drain':
      return show(await ctx.api.post<Node>(`/v1/nodes/${need()}/drain`));
    case 'resume':
      return show(await ctx.api.post<Node>(`/v1/nodes/${need()}/resume`));
    case 'weight': {
      const w = Number(rest[1]);
      if (!Number.isInteger(w)) throw new UsageError('weight must be an integer');
      return show(await ctx.api.patch<Node>(`/v1/nodes/${need()}`, { weight: w }));
    }
    case 'remove':
      return show(await ctx.api.delete<Node>(`/v1/nodes/${need()}`, { force: ctx.args.options.force ? 'true' : undefined }));
    default:
      throw new UsageError(USAGE_NODES);
  }

  function show(n: Node): number {
    print(ctx, n, () => one(n));
    return EXIT.ok;
  }
};
