import { open, stat } from 'node:fs/promises';
import { intOpt, opt, UsageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { ProgressBar } from '../output/progress-bar.ts';
import { renderTable } from '../output/table.ts';
import { type CommandContext, type CommandGroup, print } from './command-context.ts';

export const USAGE_CAMPAIGN = `switchyard campaign list
switchyard campaign create --name N --flow FLOW --caller-id +44... --gateway GW --prefix +44[,+33...]
                           [--max-cps N] [--max-concurrent N] [--max-attempts N] [--timezone TZ]
switchyard campaign import <id> <contacts.csv> [--country GB]   (progress bar; error report printed)
switchyard campaign start|pause|resume|stop <id>
switchyard campaign status <id>`;

interface Campaign {
  id: string;
  name: string;
  flowId: string;
  state: string;
  maxCps: number;
  maxConcurrent: number;
}
const COLUMNS = ['id', 'name', 'flowId', 'state', 'maxCps', 'maxConcurrent'];

/** `switchyard campaign ...`: outbound campaigns. */
export const campaignCommand: CommandGroup = async (sub, rest, ctx) => {
  const id = () => {
    if (!rest[0] || !/^\d+$/.test(rest[0])) throw new UsageError('a campaign id is required');
    return rest[0];
  };
  switch (sub) {
    case 'list': {
      const res = await ctx.api.get<{ items: Campaign[] }>('/v1/campaigns');
      print(ctx, res.items, () => renderTable(res.items, COLUMNS));
      return EXIT.ok;
    }
    case 'create': {
      const maxCps = opt(ctx.args, 'max-cps');
      const c = await ctx.api.post<Campaign>('/v1/campaigns', {
        name: opt(ctx.args, 'name', true),
        flowId: opt(ctx.args, 'flow', true),
        callerId: opt(ctx.args, 'caller-id', true),
        gateway: opt(ctx.args, 'gateway', true),
        allowedPrefixes: opt(ctx.args, 'prefix', true).split(','),
        maxCps: maxCps === undefined ? undefined : Number(maxCps),
        maxConcurrent: intOpt(ctx.args, 'max-concurrent'),
        maxAttempts: intOpt(ctx.args, 'max-attempts'),
        defaultTimezone: opt(ctx.args, 'timezone'),
      });
      print(ctx, c, () => renderTable([c], COLUMNS));
      return EXIT.ok;
    }
    case 'import':
      return importContacts(ctx, id(), rest[1]);
    case 'start':
    case 'pause':
    case 'resume':
    case 'stop': {
      const c = await ctx.api.post<Campaign>(`/v1/campaigns/${id()}/control/${sub}`);
      print(ctx, c, () => `campaign ${c.id} ${c.state}`);
      return EXIT.ok;
    }
    case 'status': {
      const [c, p] = await Promise.all([
        ctx.api.get<Campaign>(`/v1/campaigns/${id()}`),
        ctx.api.get<Record<string, number | string>>(`/v1/campaigns/${id()}/progress`),
      ]);
      print(ctx, { campaign: c, progress: p }, () =>
        [`campaign ${c.id} "${c.name}" ${c.state}`, renderTable(Object.entries(p).map(([k, v]) => ({ figure: k, value: v })), ['figure', 'value'])].join('\n'),
      );
      return EXIT.ok;
    }
    default:
      throw new UsageError(USAGE_CAMPAIGN);
  }
};

interface ImportSummary {
  importId: string;
  totalRows: number;
  imported: number;
  failed: number;
}

// Streams the file as the request body; the bar follows the bytes sent.
async function importContacts(ctx: CommandContext, id: string, file: string | undefined): Promise<number> {
  if (!file) throw new UsageError('a CSV file is required');
  const size = (await stat(file).catch(() => {
    throw new UsageError(`cannot read ${file}`);
  })).size;
  const bar = new ProgressBar(size, { write: (s) => ctx.io.err(s.replace(/\n$/, '')), isTTY: ctx.io.errIsTTY }, 'import ');
  const fh = await open(file);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buf = new Uint8Array(64 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) {
        controller.close();
        await fh.close();
        return;
      }
      sent += bytesRead;
      bar.update(sent);
      controller.enqueue(buf.subarray(0, bytesRead));
    },
    async cancel() {
      await fh.close();
    },
  });
  const country = opt(ctx.args, 'country');
  const q = country ? `?defaultCountry=${encodeURIComponent(country)}` : '';
  const res = await ctx.api.raw('POST', `/v1/campaigns/${id}/contacts${q}`, { body, contentType: 'text/csv' });
  bar.finish();
  const summary = (await res.json()) as ImportSummary;
  let report = '';
  if (summary.failed > 0) {
    report = await (await ctx.api.raw('GET', `/v1/campaigns/${id}/imports/${summary.importId}/errors`)).text();
  }
  print(ctx, { ...summary, errorReport: report || undefined }, () =>
    [`imported ${summary.imported} of ${summary.totalRows} rows (${summary.failed} rejected)`, report.trim()].filter(Boolean).join('\n'),
  );
  return summary.failed > 0 ? EXIT.findings : EXIT.ok;
}
