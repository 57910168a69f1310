import { intOpt, opt, UsageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { renderTable } from '../output/table.ts';
import { type CommandContext, type CommandGroup, print } from './command-context.ts';

const FILTERS = ['caller', 'callee', 'campaign', 'node', 'trunk', 'direction', 'disposition', 'hangup-cause', 'ivr-state'];

/** The time range and filters shared by `calls search`, `calls export` and `kpis`; default range: the last 24 h. */
export function callQuery(ctx: CommandContext): Record<string, string | undefined> {
  const to = opt(ctx.args, 'to') ?? new Date().toISOString();
  const from = opt(ctx.args, 'from') ?? new Date(Date.parse(to) - 86_400_000).toISOString();
  const q: Record<string, string | undefined> = { from, to };
  for (const f of FILTERS) {
    const key = f === 'campaign' ? 'campaignId' : f.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    q[key] = opt(ctx.args, f);
  }
  return q;
}

export const USAGE_CALLS = `switchyard calls search [--from ISO] [--to ISO] [--caller N] [--callee N] [--campaign ID] [--node N]
                       [--direction inbound|outbound|transfer] [--disposition D] [--ivr-state S] [--limit N] [--cursor C]
switchyard calls show <legId>        one call's timeline
switchyard calls export [filters]    CSV to stdout
switchyard calls tail                live call-log events until Ctrl-C`;

interface Leg {
  leg_id: string;
  started_at: string;
  direction: string;
  caller: string | null;
  callee: string | null;
  node: string | null;
  disposition: string | null;
  talk_ms: number | null;
}

/** `switchyard calls ...`: search, timeline, export, live tail. */
export const callsCommand: CommandGroup = async (sub, rest, ctx) => {
  switch (sub) {
    case 'search': {
      const res = await ctx.api.get<{ items: Leg[]; nextCursor: string | null }>('/v1/calls', {
        ...callQuery(ctx),
        limit: intOpt(ctx.args, 'limit'),
        cursor: opt(ctx.args, 'cursor'),
      });
      print(ctx, res, () => {
        const t = renderTable(res.items, ['leg_id', 'started_at', 'direction', 'caller', 'callee', 'node', 'disposition', 'talk_ms']);
        return res.nextCursor ? `${t}\nmore: --cursor ${res.nextCursor}` : t;
      });
      return EXIT.ok;
    }
    case 'show': {
      if (!rest[0]) throw new UsageError('a leg id is required');
      const t = await ctx.api.get<{ entries: { at: string; legId: string; kind: string; detail: object }[] }>(
        `/v1/calls/${encodeURIComponent(rest[0])}/timeline`,
      );
      print(ctx, t, () => renderTable(t.entries, ['at', 'legId', 'kind', 'detail']));
      return EXIT.ok;
    }
    case 'export': {
      const q = new URLSearchParams(Object.entries(callQuery(ctx)).filter((e): e is [string, string] => e[1] !== undefined));
      const res = await ctx.api.raw('GET', `/v1/calls.csv?${q}`);
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        ctx.io.out(dec.decode(value, { stream: true }).replace(/\r?\n$/, ''));
      }
      return EXIT.ok;
    }
    case 'tail':
      return tail(ctx);
    default:
      throw new UsageError(USAGE_CALLS);
  }
};

async function tail(ctx: CommandContext): Promise<number> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  const max = intOpt(ctx.args, 'max');
  let seen = 0;
  try {
    const res = await ctx.api.raw('GET', '/v1/calls/tail', { signal: ac.signal });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i = buf.indexOf('\n\n');
      while (i >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (data) {
          const e = JSON.parse(data.slice(6)) as { id: string; event: Record<string, unknown> };
          ctx.io.out(ctx.json ? JSON.stringify(e) : `${e.id}  ${String(e.event.type ?? e.event.kind ?? '')}  ${JSON.stringify(e.event)}`);
          if (max !== undefined && ++seen >= max) return EXIT.ok;
        }
        i = buf.indexOf('\n\n');
      }
    }
    return EXIT.ok;
  } catch (err) {
    if (ac.signal.aborted) return EXIT.ok;
    throw err;
  } finally {
    process.off('SIGINT', stop);
    ac.abort();
  }
}

export const USAGE_KPIS = 'switchyard kpis [--from ISO] [--to ISO] [--interval 5min|hour|day] [--by node|trunk] [filters]';

/** `switchyard kpis`: ASR, ACD and friends per interval. */
export const kpisCommand: CommandGroup = async (_sub, _rest, ctx) => {
  const res = await ctx.api.get<{ items: Record<string, unknown>[] }>('/v1/kpis', {
    ...callQuery(ctx),
    interval: opt(ctx.args, 'interval'),
    by: opt(ctx.args, 'by'),
  });
  print(ctx, res.items, () => renderTable(res.items, ['bucket', 'group', 'calls', 'answered', 'asr', 'ner', 'acd_s', 'aloc_s']));
  return EXIT.ok;
};
