import { type Socket, connect } from 'node:net';
import { type EslFrame, EslFrameParser } from '@switchyard/esl';

/** A frame as the tests look at it: content type, headers (raw), body, parsed event. */
export interface SeenFrame {
  contentType: string;
  headers: Record<string, string>;
  body: string;
  /** For events: event headers in order (plain: URL-encoded values as on the wire). */
  event?: Array<[string, string]>;
  eventName?: string;
}

/** Decode a frame for assertions. */
export function toSeen(f: EslFrame): SeenFrame {
  const headers = f.allHeaders(false);
  const contentType = headers['Content-Type'] ?? '';
  const body = f.bodyText();
  const seen: SeenFrame = { contentType, headers, body };
  if (contentType === 'text/event-plain') {
    const head = body.split('\n\n')[0] ?? '';
    seen.event = head
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const i = l.indexOf(': ');
        return [l.slice(0, i), l.slice(i + 2)] as [string, string];
      });
  } else if (contentType === 'text/event-json') {
    const pairs: Array<[string, string]> = [];
    // keep duplicate keys and order: walk with a reviver
    const obj = JSON.parse(body) as Record<string, string>;
    for (const [k, v] of Object.entries(obj)) pairs.push([k, v]);
    seen.event = pairs;
  }
  seen.eventName = seen.event?.find(([k]) => k === 'Event-Name')?.[1];
  return seen;
}

/** A minimal ESL client over a raw socket, recording every frame the server sends. */
export class RawEslClient {
  readonly frames: SeenFrame[] = [];
  private readonly parser = new EslFrameParser();
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (c) => {
      this.parser.push(c, (f) => {
        this.frames.push(toSeen(f));
        for (const w of this.waiters.splice(0)) w();
      });
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(port: number): Promise<RawEslClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new RawEslClient(s)));
      s.once('error', reject);
    });
  }

  /** Connect, authenticate and subscribe to every event in plain format. */
  static async subscribedPlainAll(port: number): Promise<RawEslClient> {
    const c = await RawEslClient.connect(port);
    c.write('auth ClueCon\n\nevent plain ALL\n\n');
    await c.waitFor((f) => f.headers['Reply-Text'] === '+OK event listener enabled plain');
    return c;
  }

  /** Wrap an accepted socket (outbound mode). */
  static wrap(socket: Socket): RawEslClient {
    return new RawEslClient(socket);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Wait until a frame matching `pred` (after index `from`) arrives; resolves its index. */
  async waitFor(pred: (f: SeenFrame) => boolean, timeoutMs = 5000, from = 0): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex((f, idx) => idx >= from && pred(f));
      if (i >= 0) return i;
      if (this.closed) throw new Error('connection closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for frame; got ${this.frames.map((f) => f.eventName ?? f.contentType).join(',')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Wait until `cond()` holds (re-checked on every frame). */
  async until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.closed) throw new Error('connection closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout; got ${this.frames.map((f) => f.eventName ?? f.contentType).join(',')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket not closed');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
