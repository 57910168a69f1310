import type { ServerResponse } from 'node:http';
import { Controller, Inject, Req, Res } from '@nestjs/common';
import type { DrainController } from '@switchyard/core/http';
import { TOKENS } from '../app/injection-tokens.ts';
import { ApiError } from '../http/api-error.ts';
import { ApiRoute, type RouteInput } from '../http/api-route.ts';
import { Input } from '../http/input-decorator.ts';
import { jsonSafe } from '../http/json-safe.ts';
import type { ApiRequest } from '../http/request-context.ts';
import { openSse } from '../http/sse-stream.ts';
import { writeChunks } from '../http/write-chunks.ts';
import type { CallsPort } from './calls-port.ts';
import { callsRoutes as R } from './calls-routes.ts';

/** Call analytics: search, timeline, KPIs, funnel, CSV export, live tail. */
@Controller()
export class CallsController {
  constructor(
    @Inject(TOKENS.calls) private readonly calls: CallsPort,
    @Inject(TOKENS.drain) private readonly drain: DrainController,
  ) {}

  @ApiRoute(R.search)
  async search(@Input() input: RouteInput<typeof R.search>) {
    const { limit, cursor, ...q } = input.query;
    const page = await this.calls.search(q, { limit, cursor });
    return { items: jsonSafe(page.items), nextCursor: page.next };
  }

  @ApiRoute(R.timeline)
  async timeline(@Input() input: RouteInput<typeof R.timeline>) {
    const t = await this.calls.timeline(input.params.legId);
    if (!t) throw ApiError.notFound('call', input.params.legId);
    return jsonSafe(t);
  }

  @ApiRoute(R.kpis)
  async kpis(@Input() input: RouteInput<typeof R.kpis>) {
    return { items: jsonSafe(await this.calls.kpis(input.query)) };
  }

  @ApiRoute(R.funnel)
  async funnel(@Input() input: RouteInput<typeof R.funnel>) {
    const { flowId, ...q } = input.query;
    return { items: await this.calls.funnel(q, flowId) };
  }

  @ApiRoute(R.export)
  async export(@Input() input: RouteInput<typeof R.export>, @Res() res: ServerResponse) {
    const chunks = this.calls.exportCsv(input.query)[Symbol.asyncIterator]();
    // Pull the first chunk before the headers go out, so a bad filter is still a clean 400.
    const head = await chunks.next();
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="calls.csv"' });
    await writeChunks(res, chunks, head.done ? undefined : head.value);
  }

  @ApiRoute(R.tail)
  async tail(@Req() req: ApiRequest, @Res() res: ServerResponse) {
    const sse = openSse(req, res, { closeOn: this.drain.signal });
    try {
      for await (const e of this.calls.tail(sse.signal)) await sse.send('call', e);
    } finally {
      sse.close();
    }
  }
}
