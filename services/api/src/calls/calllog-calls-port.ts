import type { Database, Kysely, Redis } from '@switchyard/core';
import { callKpis, callTimeline, exportCallsCsv, ivrFunnel, listCalls } from '@switchyard/calllog';
import type { CallEventView, CallsPort } from './calls-port.ts';

export interface CalllogPortDeps {
  db: Kysely<Database>;
  /** Makes a dedicated Redis connection for one blocking tail (closed when it ends). */
  redisForTail: () => Redis;
  /** The call-log stream key. */
  stream: string;
}

/** {@link CallsPort} over `@switchyard/calllog`'s analytics and its Redis stream. */
export function calllogCallsPort(deps: CalllogPortDeps): CallsPort {
  const { db } = deps;
  return {
    search: (q, page) => listCalls(db, q, { limit: page.limit, cursor: page.cursor ?? null }),
    timeline: (legId) => callTimeline(db, legId),
    kpis: (q) => callKpis(db, q),
    funnel: (q, flowId) => ivrFunnel(db, q, flowId),
    exportCsv: (q) => exportCallsCsv(db, q),
    tail: (signal) => tailStream(deps, signal),
  };
}

// XREAD BLOCK from "now" ($), one short block at a time so an abort is seen within a second.
async function* tailStream(deps: CalllogPortDeps, signal: AbortSignal): AsyncGenerator<CallEventView> {
  const redis = deps.redisForTail();
  // Errors surface as failed XREADs below (retried); no unhandled 'error' events.
  redis.on('error', () => {});
  const stop = () => redis.disconnect();
  signal.addEventListener('abort', stop, { once: true });
  let last = '$';
  try {
    while (!signal.aborted) {
      let res: [string, [string, string[]][]][] | null;
      try {
        res = (await redis.xread('COUNT', 100, 'BLOCK', 1000, 'STREAMS', deps.stream, last)) as typeof res;
      } catch {
        if (signal.aborted) return;
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      for (const [, entries] of res ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const i = fields.indexOf('e');
          const raw = i >= 0 ? fields[i + 1] : undefined;
          if (!raw) continue;
          try {
            yield { id, event: JSON.parse(raw) as Record<string, unknown> };
          } catch {
            // A malformed entry is the recorder's dead-letter business; the tail skips it.
          }
        }
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    redis.disconnect();
  }
}
