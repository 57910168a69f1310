import type { IncomingMessage, ServerResponse } from 'node:http';

/** An open server-sent-events response. */
export interface SseStream {
  /** Writes one event; resolves once the socket accepted it (backpressure). */
  send(event: string, data: unknown): Promise<void>;
  close(): void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/**
 * Starts an SSE response with a heartbeat comment every `heartbeatMs` (keeps proxies from
 * closing it); it ends when the client leaves or `closeOn` aborts (the process drains). Writes wait for `drain` when the client reads slowly, so a slow reader
 * slows the producer instead of growing a buffer.
 */
export function openSse(req: IncomingMessage, res: ServerResponse, opts: { closeOn?: AbortSignal; heartbeatMs?: number } = {}): SseStream {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const ac = new AbortController();
  const beat = setInterval(() => res.write(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000);
  beat.unref();
  const stop = () => {
    clearInterval(beat);
    ac.abort();
  };
  req.on('close', stop);
  // A drain ends streams so the process can stop; clients reconnect to another instance.
  if (opts.closeOn?.aborted) queueMicrotask(stop);
  else opts.closeOn?.addEventListener('abort', stop, { once: true });
  res.on('close', stop);
  return {
    signal: ac.signal,
    async send(event, data) {
      if (ac.signal.aborted) return;
      const ok = res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (!ok) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
    },
    close() {
      stop();
      res.end();
    },
  };
}
