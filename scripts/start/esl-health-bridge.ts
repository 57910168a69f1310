import { createRedis, type Redis } from '@switchyard/core';

/** `switchyard_esl_connected{node="fs1"} 1` lines of a Prometheus scrape → node → up. */
export function parseEslConnected(metrics: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of metrics.matchAll(/^switchyard_esl_connected\{[^}]*node="([^"]+)"[^}]*\}\s+(\S+)$/gm)) {
    out.set(m[1] as string, Number(m[2]) === 1);
  }
  return out;
}

/**
 * Publishes the engine's per-node ESL state where the API's fleet reads it
 * (`<prefix>node:<name>:esl` = "1", short TTL). Workaround: the engine keeps this state
 * (its /metrics gauge) but does not write the Redis key yet, so without this bridge the
 * fleet moves every node to `probing` and Kamailio answers 503.
 */
export class EslHealthBridge {
  private timer: NodeJS.Timeout | null = null;
  private readonly redis: Redis;

  constructor(
    private readonly o: { redisUrl: string; prefix: string; engineMetricsUrl: string; everyMs?: number },
  ) {
    this.redis = createRedis(o.redisUrl);
    this.redis.on('error', () => {});
  }

  /** One scrape → SET … EX for each node whose link is up; errors wait for the next tick. */
  async tick(): Promise<void> {
    const res = await fetch(this.o.engineMetricsUrl, { signal: AbortSignal.timeout(1_500) });
    const up = parseEslConnected(await res.text());
    // A missed scrape or two (busy machine) must not flap the fleet: the key outlives them.
    const ttl = Math.max(5, Math.ceil(((this.o.everyMs ?? 1_000) * 6) / 1000));
    const pipe = this.redis.pipeline();
    for (const [node, ok] of up) {
      const key = `${this.o.prefix}node:${node}:esl`;
      if (ok) pipe.set(key, '1', 'EX', ttl);
      else pipe.del(key);
    }
    await pipe.exec();
  }

  start(): void {
    const run = () => {
      this.tick()
        .catch(() => {})
        .finally(() => {
          if (this.timer) this.timer = setTimeout(run, this.o.everyMs ?? 1_000);
        });
    };
    this.timer = setTimeout(run, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.redis.disconnect();
  }
}
