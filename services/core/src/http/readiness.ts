/** One dependency `/ready` checks (Postgres, Redis, an ESL connection...). */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency is usable; rejects (or times out) when it is not. */
  check(signal: AbortSignal): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`, and reports each one's result. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  draining: boolean,
  timeoutMs = 1_000,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      const ac = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ac.abort();
          reject(new Error(`timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        await Promise.race([c.check(ac.signal), timeout]);
        return [c.name, { ok: true }] as const;
      } catch (err) {
        return [c.name, { ok: false, error: err instanceof Error ? err.message : String(err) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const byName = Object.fromEntries(results);
  return { ready: !draining && results.every(([, r]) => r.ok), draining, checks: byName };
}

/** A check from any ping, e.g. `pingCheck('redis', () => redis.ping())`. */
export function pingCheck(name: string, ping: () => Promise<unknown>): ReadinessCheck {
  return { name, check: async () => void (await ping()) };
}
