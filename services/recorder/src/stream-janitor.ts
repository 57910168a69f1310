import type { Logger } from '@switchyard/core';
import type { RecorderMetrics } from './recorder-metrics.ts';

/** The subset of an ioredis client the janitor uses. */
export interface JanitorRedis {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** What one pass found and did. */
export interface JanitorReport {
  length: number;
  lag: number | null;
  pending: number;
  /** The MINID trimmed to, or null if nothing could be trimmed. */
  trimmedTo: string | null;
}

function pairs(list: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (Array.isArray(list)) for (let i = 0; i + 1 < list.length; i += 2) m.set(String(list[i]), list[i + 1]);
  return m;
}

function idLess(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am < bm || (am === bm && as < bs);
}

/**
 * Keeps the stream bounded without ever trimming an unacknowledged entry: it trims
 * (XTRIM MINID) up to the oldest entry any group still needs — the oldest pending one,
 * or the first not yet delivered — and publishes length, lag and pending as metrics.
 * While the recorder is behind the stream grows; the lag metric is what alerts.
 *
 * @example
 * const report = await new StreamJanitor({ redis, stream }).run();
 */
export class StreamJanitor {
  constructor(private readonly o: { redis: JanitorRedis; stream: string; metrics?: RecorderMetrics; logger?: Logger }) {}

  async run(): Promise<JanitorReport> {
    const { redis, stream } = this.o;
    const length = Number(await redis.call('XLEN', stream));
    let groups: unknown[] = [];
    try {
      groups = (await redis.call('XINFO', 'GROUPS', stream)) as unknown[];
    } catch (err) {
      if (!String(err).includes('no such key')) throw err;
    }
    let safe: string | null = null;
    let lag: number | null = 0;
    let pending = 0;
    for (const g of groups) {
      const info = pairs(g);
      const name = String(info.get('name'));
      const lastDelivered = String(info.get('last-delivered-id'));
      const groupLag = info.get('lag');
      lag = lag === null || groupLag === null || groupLag === undefined ? null : Math.max(lag, Number(groupLag));
      pending += Number(info.get('pending') ?? 0);
      const summary = (await redis.call('XPENDING', stream, name)) as [number, string | null, string | null, unknown];
      // Entries at or after this id may still be needed by this group.
      const keepFrom = Number(summary[0]) > 0 && summary[1] ? summary[1] : lastDelivered;
      if (safe === null || idLess(keepFrom, safe)) safe = keepFrom;
    }
    let trimmedTo: string | null = null;
    // No group yet: nobody has read anything, so nothing may go.
    if (safe !== null && safe !== '0-0') {
      await redis.call('XTRIM', stream, 'MINID', safe);
      trimmedTo = safe;
    }
    const m = this.o.metrics;
    m?.streamLength.set(length);
    m?.pending.set(pending);
    if (lag !== null) m?.lag.set(lag);
    return { length, lag, pending, trimmedTo };
  }
}
