/** The bit of an ioredis client needed to wait for it. */
export interface ReadyAware {
  readonly status: string;
  once(event: 'ready', fn: () => void): unknown;
  off(event: 'ready', fn: () => void): unknown;
}

/** Resolves once the client is connected (commands fail fast while it is not: no offline queue). */
export function redisReady(r: ReadyAware, timeoutMs = 10_000): Promise<void> {
  if (r.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      r.off('ready', done);
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    r.once('ready', done);
  });
}
