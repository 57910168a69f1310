import path from 'node:path';
import type { CallLogEventInput } from '../event/call-log-event-schema.ts';
import { encodeCallLogEvent } from '../event/fast-event-check.ts';
import { SpoolStore } from './spool-store.ts';

/** The subset of an ioredis client the producer uses. */
export interface ProducerRedis {
  readonly status: string;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
  on(event: 'ready', fn: () => void): unknown;
  off(event: 'ready', fn: () => void): unknown;
}

/**
 * One batch = one command: the script XADDs each line as its own stream entry (what the
 * recorder reads is unchanged). A pipeline of N XADDs built N ioredis command objects per
 * flush, and the engine's young-generation collections spent their time copying them.
 * All or nothing: a failed batch goes to the spool whole (the recorder's writes are idempotent).
 */
const XADD_BATCH = "for i = 1, #ARGV do redis.call('XADD', KEYS[1], '*', 'e', ARGV[i]) end return #ARGV";

/** Options of {@link CallLogProducer}. */
export interface CallLogProducerOptions {
  redis: ProducerRedis;
  /** Stream key, e.g. `redisKeys(prefix).callLogStream()`. */
  stream: string;
  /** Folder for the spool (e.g. `${SWITCHYARD_DATA_DIR}/calllog-spool`). */
  spoolDir: string;
  /** Events per XADD batch / spool write. Default 500. */
  batchSize?: number;
  /** Longest an event waits in memory before a flush starts. Default 5 ms. */
  flushIntervalMs?: number;
  /** In-memory bound; beyond it events are dropped and counted. Default 100,000. */
  maxBuffer?: number;
  /** Spool cap in bytes. Default 512 MiB. */
  spoolMaxBytes?: number;
  /** A batch not answered within this time counts as failed (events go to the spool). Default 2,000 ms. */
  redisTimeoutMs?: number;
  /** Called for rejected input and failures (never throws into the call path). */
  onError?: (err: Error) => void;
}

/** Counters for metrics and tests. */
export interface ProducerStats {
  appended: number;
  invalid: number;
  dropped: number;
  sentToRedis: number;
  spooled: number;
  replayed: number;
  buffered: number;
  spoolBytes: number;
  mode: 'direct' | 'spool';
}

/**
 * Call-log producer for the engine and the dialer. `append()` validates and buffers the
 * event and returns at once; batches go to the Redis stream through one XADD-batch script.
 * When Redis is away they go to a local spool (fsync'd per batch), replayed in order once
 * Redis is back; while the spool is not empty new events queue behind it, so per-leg
 * order holds. Nothing here touches Postgres.
 *
 * @example
 * const p = new CallLogProducer({ redis, stream: keys.callLogStream(), spoolDir: '.data/calllog-spool' });
 * await p.start();
 * p.append({ v: 1, id, type: 'leg.answered', legId, startedAt, direction: 'inbound', at: new Date(), seq: 2 });
 * await p.close();
 */
export class CallLogProducer {
  private readonly o: Required<Omit<CallLogProducerOptions, 'onError'>> & Pick<CallLogProducerOptions, 'onError'>;
  private readonly spool: SpoolStore;
  private buffer: string[] = [];
  private mode: 'direct' | 'spool' = 'direct';
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private running: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly counters = { appended: 0, invalid: 0, dropped: 0, sentToRedis: 0, spooled: 0, replayed: 0 };
  private readonly onReady = () => this.kick();

  constructor(opts: CallLogProducerOptions) {
    this.o = {
      batchSize: 500,
      flushIntervalMs: 5,
      maxBuffer: 100_000,
      spoolMaxBytes: 512 * 1024 * 1024,
      redisTimeoutMs: 2_000,
      ...opts,
    };
    this.spool = new SpoolStore({ dir: path.resolve(opts.spoolDir), maxBytes: this.o.spoolMaxBytes });
  }

  /** Opens the spool; a spool left by a previous run is replayed before anything new. */
  async start(): Promise<void> {
    await this.spool.open();
    if (!this.spool.empty) this.mode = 'spool';
    this.o.redis.on('ready', this.onReady);
    this.kick();
  }

  /**
   * Queues one event. Synchronous and O(1); never throws: invalid input or a full buffer
   * returns false and is reported through `onError`.
   */
  append(event: CallLogEventInput): boolean {
    // The common shapes pass a hand-written check; anything else (bad or unusual) gets zod.
    const r = encodeCallLogEvent(event);
    if (!r.ok) {
      this.counters.invalid++;
      this.o.onError?.(r.error);
      return false;
    }
    if (this.closed || this.buffer.length >= this.o.maxBuffer) {
      this.counters.dropped++;
      this.o.onError?.(new Error(this.closed ? 'call-log producer is closed' : 'call-log buffer full; event dropped'));
      return false;
    }
    this.buffer.push(r.line);
    this.counters.appended++;
    // The flush never runs inside append(): a full batch is handed to the next turn of the loop.
    if (this.buffer.length >= this.o.batchSize) {
      if (!this.immediate && !this.running) this.immediate = setImmediate(() => this.kick());
    } else if (!this.timer && !this.running) this.timer = setTimeout(() => this.kick(), this.o.flushIntervalMs);
    return true;
  }

  stats(): ProducerStats {
    return { ...this.counters, buffered: this.buffer.length, spoolBytes: this.spool.bytes, mode: this.mode };
  }

  /** Resolves once everything appended so far is in Redis (or, if Redis is away, in the spool). */
  async flush(): Promise<void> {
    while (this.running || this.buffer.length > 0) {
      this.kick();
      await this.running;
    }
  }

  /** Flushes (to Redis or the spool) and stops; later appends are refused. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    if (this.retry) clearTimeout(this.retry);
    this.o.redis.off('ready', this.onReady);
    await this.spool.close();
  }

  /** Starts the single drain loop unless it is already running. */
  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
    if (this.running || this.closed) return;
    this.running = this.drain()
      .catch((err: unknown) => this.o.onError?.(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        this.running = null;
        if (this.buffer.length > 0) this.kick();
        else if (this.mode === 'spool' && !this.retry && !this.closed) {
          this.retry = setTimeout(() => {
            this.retry = null;
            this.kick();
          }, 500);
          this.retry.unref();
        }
      });
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.o.batchSize);
      if (this.mode === 'direct' && (await this.send(batch))) {
        this.counters.sentToRedis += batch.length;
        continue;
      }
      this.mode = 'spool';
      await this.toSpool(batch);
    }
    if (this.mode === 'spool' && this.o.redis.status === 'ready') await this.replay();
  }

  private async toSpool(batch: string[]): Promise<void> {
    if (await this.spool.append(batch)) this.counters.spooled += batch.length;
    else {
      this.counters.dropped += batch.length;
      this.o.onError?.(new Error(`call-log spool full; ${batch.length} events dropped`));
    }
  }

  /** Replays segments oldest first; new events keep going to the spool until it is empty. */
  private async replay(): Promise<void> {
    for (;;) {
      if (this.buffer.length > 0) await this.toSpool(this.buffer.splice(0, this.buffer.length));
      const seg = await this.spool.oldest();
      if (!seg) break;
      for (let i = 0; i < seg.lines.length; i += this.o.batchSize) {
        const chunk = seg.lines.slice(i, i + this.o.batchSize);
        // A failed chunk is resent whole later; the recorder's writes are idempotent.
        if (!(await this.send(chunk))) return;
        this.counters.replayed += chunk.length;
      }
      await this.spool.remove(seg.file);
    }
    if (this.buffer.length === 0 && this.spool.empty) this.mode = 'direct';
  }

  private async send(lines: string[]): Promise<boolean> {
    if (this.o.redis.status !== 'ready') return false;
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      t = setTimeout(() => resolve(null), this.o.redisTimeoutMs);
    });
    try {
      const sent = this.o.redis.eval(XADD_BATCH, 1, this.o.stream, ...lines);
      sent.catch(() => {}); // a late failure after the timeout is already counted as one
      return (await Promise.race([sent, timeout])) !== null;
    } catch (err) {
      this.o.onError?.(err instanceof Error ? err : new Error(String(err)));
      return false;
    } finally {
      clearTimeout(t);
    }
  }
}
