import { backoffDelay } from '@switchyard/core';

/** An error Kamailio answered (JSON-RPC `error`), or a transport failure. */
export class KamailioRpcError extends Error {
  constructor(
    message: string,
    /** JSON-RPC error code from Kamailio; 0 for transport failures (Kamailio away). */
    readonly code: number,
    readonly method: string,
  ) {
    super(message);
    this.name = 'KamailioRpcError';
  }
  /** True when asking again later may succeed: Kamailio unreachable or "Ongoing reload". */
  get retryable(): boolean {
    return this.code === 0 || /ongoing reload/i.test(this.message);
  }
}

/** The subset of the RPC surface the fleet needs; tests and the API depend on this. */
export interface KamailioRpc {
  call<T = unknown>(method: string, params?: unknown[], opts?: RpcCallOptions): Promise<T>;
}

export interface RpcCallOptions {
  /** Keep retrying retryable failures until this many ms have passed (0: try once). */
  retryForMs?: number;
  signal?: AbortSignal;
}

export interface KamailioRpcClientOptions {
  /** e.g. `http://127.0.0.1:5089/RPC` (the loopback admin listener). */
  url: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Default retry window for retryable failures. */
  retryForMs?: number;
  backoff?: { baseMs: number; maxMs: number };
}

/**
 * JSON-RPC 2.0 over HTTP to Kamailio's jsonrpcs module. Parameters are positional and set
 * ids must be numbers (Kamailio silently ignores string ids). Retries, with capped jittered
 * backoff, while Kamailio is away or answers "Ongoing reload" (its 5 s reload_delta).
 *
 * @example
 * const rpc = new KamailioRpcClient({ url: 'http://127.0.0.1:5089/RPC' });
 * await rpc.call('dispatcher.reload');
 */
export class KamailioRpcClient implements KamailioRpc {
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly retryForMs: number;
  private readonly backoff: { baseMs: number; maxMs: number };

  constructor(private readonly opts: KamailioRpcClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 3_000;
    this.retryForMs = opts.retryForMs ?? 15_000;
    this.backoff = opts.backoff ?? { baseMs: 200, maxMs: 2_000 };
  }

  get url(): string {
    return this.opts.url;
  }

  async call<T = unknown>(method: string, params: unknown[] = [], opts: RpcCallOptions = {}): Promise<T> {
    const deadline = Date.now() + (opts.retryForMs ?? this.retryForMs);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, params, opts.signal);
      } catch (err) {
        const retry = err instanceof KamailioRpcError && err.retryable && !opts.signal?.aborted;
        if (!retry || Date.now() >= deadline) throw err;
        // "Ongoing reload" clears after reload_delta (5 s): never wait less than 250 ms.
        const wait = Math.max(250, backoffDelay(attempt, this.backoff));
        await sleepUnless(Math.min(wait, Math.max(0, deadline - Date.now())), opts.signal);
      }
    }
  }

  private async once<T>(method: string, params: unknown[], signal?: AbortSignal): Promise<T> {
    const id = this.nextId++;
    if (this.nextId > 1e9) this.nextId = 1;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method, params, id }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new KamailioRpcError(`Kamailio RPC unreachable at ${this.opts.url}: ${errText(err)}`, 0, method);
    }
    const text = await res.text().catch(() => '');
    let body: { result?: T; error?: { code?: number; message?: string } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new KamailioRpcError(`Kamailio RPC ${method}: HTTP ${res.status}, not JSON: ${text.slice(0, 120)}`, res.status, method);
    }
    if (body.error) {
      const code = body.error.code ?? 500;
      throw new KamailioRpcError(`Kamailio RPC ${method}: ${body.error.message ?? 'error'} (${code})`, code, method);
    }
    return body.result as T;
  }
}

function errText(err: unknown): string {
  const e = err as { cause?: { code?: string }; message?: string };
  return e.cause?.code ?? e.message ?? String(err);
}

function sleepUnless(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
