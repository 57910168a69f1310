import type { LookupHandler } from '@switchyard/ivr';

/** A lookup that outlived its budget (the flow takes its fallback branch). */
export class LookupTimeoutError extends Error {
  constructor(
    readonly lookup: string,
    readonly ms: number,
  ) {
    super(`lookup ${lookup} timed out after ${ms} ms`);
    this.name = 'LookupTimeoutError';
  }
}

/**
 * Bounds `handler` to `ms`, whatever the flow's own timeout: the work is aborted (its
 * signal fires) and the promise rejects, so a stuck backend never holds a call.
 */
export function withLookupTimeout(name: string, ms: number, handler: LookupHandler): LookupHandler {
  return (args, opts) => {
    const ctl = new AbortController();
    const onOuter = () => ctl.abort(opts.signal.reason);
    if (opts.signal.aborted) ctl.abort(opts.signal.reason);
    else opts.signal.addEventListener('abort', onOuter, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new LookupTimeoutError(name, ms);
        ctl.abort(err);
        reject(err);
      }, ms);
    });
    return Promise.race([handler(args, { signal: ctl.signal }), deadline]).finally(() => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onOuter);
    });
  };
}
