import type { ServerResponse } from 'node:http';
import { Controller, Inject, Req, Res } from '@nestjs/common';
import type { DrainController } from '@switchyard/core/http';
import { TOKENS } from '../app/injection-tokens.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actorOf, type Principal } from '../auth/roles.ts';
import { ApiError } from '../http/api-error.ts';
import { ApiRoute, type RouteInput } from '../http/api-route.ts';
import { Caller, Input } from '../http/input-decorator.ts';
import type { ApiRequest } from '../http/request-context.ts';
import { openSse } from '../http/sse-stream.ts';
import { writeChunks } from '../http/write-chunks.ts';
import type { CampaignPort } from './campaign-port.ts';
import { campaignRoutes as R } from './campaign-routes.ts';

const PROGRESS_POLL_MS = 1_000;

/** Campaigns: CRUD, contact import with its error report, control, progress (and live). */
@Controller()
export class CampaignsController {
  constructor(
    @Inject(TOKENS.campaigns) private readonly campaigns: CampaignPort,
    @Inject(TOKENS.drain) private readonly drain: DrainController,
    @Inject(TOKENS.auditLog) private readonly audit: AuditLog,
  ) {}

  @ApiRoute(R.list)
  async list() {
    return { items: await this.campaigns.list() };
  }

  @ApiRoute(R.get)
  get(@Input() input: RouteInput<typeof R.get>) {
    return this.campaigns.get(input.params.id);
  }

  @ApiRoute(R.create)
  create(@Input() input: RouteInput<typeof R.create>, @Caller() who: Principal) {
    return this.campaigns.create(input.body, actorOf(who));
  }

  @ApiRoute(R.importContacts)
  async importContacts(@Input() input: RouteInput<typeof R.importContacts>, @Req() req: ApiRequest, @Caller() who: Principal) {
    const type = String(req.headers['content-type'] ?? '');
    if (!/^text\/(csv|plain)\b/.test(type)) throw ApiError.validation([{ path: 'body', message: 'send the CSV as text/csv' }]);
    await this.campaigns.get(input.params.id); // 404 before reading the body
    const summary = await this.campaigns.importContacts(input.params.id, req, { defaultCountry: input.query.defaultCountry });
    await this.audit.record({ actor: actorOf(who), action: 'campaign.import', entity: 'campaign', entityId: input.params.id, before: null, after: summary });
    return summary;
  }

  @ApiRoute(R.importErrors)
  async importErrors(@Input() input: RouteInput<typeof R.importErrors>, @Res() res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    await writeChunks(res, this.campaigns.importErrors(input.params.importId));
  }

  @ApiRoute(R.control)
  control(@Input() input: RouteInput<typeof R.control>, @Caller() who: Principal) {
    return this.campaigns.control(input.params.id, input.params.action, actorOf(who));
  }

  @ApiRoute(R.progress)
  progress(@Input() input: RouteInput<typeof R.progress>) {
    return this.campaigns.progress(input.params.id);
  }

  // Polls the stored progress and sends an event when it changed (and once at the start).
  @ApiRoute(R.progressStream)
  async progressStream(@Input() input: RouteInput<typeof R.progressStream>, @Req() req: ApiRequest, @Res() res: ServerResponse) {
    const first = await this.campaigns.progress(input.params.id);
    const sse = openSse(req, res, { closeOn: this.drain.signal });
    let last = '';
    let p: Record<string, number | string> | null = first;
    try {
      while (!sse.signal.aborted) {
        p ??= await this.campaigns.progress(input.params.id);
        const text = JSON.stringify(p);
        if (text !== last) await sse.send('progress', p);
        last = text;
        p = null;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, PROGRESS_POLL_MS);
          sse.signal.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              resolve();
            },
            { once: true },
          );
        });
      }
    } finally {
      sse.close();
    }
  }
}
