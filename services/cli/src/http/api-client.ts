import { exitForStatus } from '../exit-codes.ts';

/** A non-2xx answer (or no answer) from the API, with the exit status it maps to. */
export class ApiCallError extends Error {
  override name = 'ApiCallError';
  constructor(
    message: string,
    readonly exitCode: number,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface ClientOptions {
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

/** Thin JSON client for the Switchyard API. */
export class ApiClient {
  constructor(private readonly o: ClientOptions) {}

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.request<T>('DELETE', withQuery(path, query));
  }

  /** Any request; `body` may be a stream (sent chunked) or JSON. Returns the raw response when ok. */
  async raw(method: string, path: string, init: { body?: string | ReadableStream<Uint8Array>; contentType?: string; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.o.token) headers.authorization = `Bearer ${this.o.token}`;
    if (init.contentType) headers['content-type'] = init.contentType;
    let res: Response;
    try {
      res = await (this.o.fetch ?? fetch)(this.o.baseUrl.replace(/\/$/, '') + path, {
        method,
        headers,
        body: init.body,
        signal: init.signal,
        ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (err) {
      throw new ApiCallError(`cannot reach the API at ${this.o.baseUrl}: ${(err as Error).message}`, exitForStatus(503));
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' });
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }
}

async function errorOf(res: Response): Promise<ApiCallError> {
  let message = `HTTP ${res.status}`;
  let fields: { path: string; message: string }[] = [];
  try {
    const body = (await res.json()) as { error?: { message?: string; fields?: typeof fields } };
    if (body.error?.message) message = body.error.message;
    fields = body.error?.fields ?? [];
  } catch {
    // not the API's error shape (a proxy page?); keep the status line
  }
  return new ApiCallError(message, exitForStatus(res.status), fields);
}

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
