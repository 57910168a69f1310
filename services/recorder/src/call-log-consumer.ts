import { type CallLogEvent, foldEvents } from '@switchyard/calllog';
import { backoffDelay, type Logger } from '@switchyard/core';
import { type DecodedEntry, decodeEntry, fromReadGroupReply, type StreamEntry, toEntries } from './stream-entries.ts';
import type { LegWriter } from './leg-writer.ts';
import type { RecorderMetrics } from './recorder-metrics.ts';

/** The subset of an ioredis client the consumer uses (a connection of its own: it blocks). */
export interface ConsumerRedis {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link CallLogConsumer}. */
export interface CallLogConsumerOptions {
  /** Connection for the reads, which block. */
  redis: ConsumerRedis;
  /** Connection for acks, claims and dead letters (so they never wait behind a blocked read). Default: `redis`. */
  commandRedis?: ConsumerRedis;
  writer: Pick<LegWriter, 'write'>;
  stream: string;
  deadLetter: string;
  group: string;
  /** Stable per process slot: a restarted consumer of the same name re-reads its own pending entries. */
  consumer: string;
  /** Cap of the dead-letter stream. Default 100,000. */
  deadLetterMaxLen?: number;
  /** Most entries per batch. Default 2,000. */
  batchSize?: number;
  /** Longest a batch waits to fill once its first entry arrived. Default 100 ms. */
  batchWaitMs?: number;
  /** Entries pending this long on another consumer are claimed (that consumer is presumed dead). Default 30 s. */
  claimIdleMs?: number;
  logger?: Logger;
  metrics?: RecorderMetrics;
  /** Called with the start times of the legs of each committed batch (the KPI rollup marks them). */
  onCommitted?: (startedAt: Date[]) => void;
}

type Poison = Extract<DecodedEntry, { poison: string }>;
type Good = Extract<DecodedEntry, { event: CallLogEvent }>;
interface PreparedBatch {
  ids: string[];
  good: Good[];
  poison: Poison[];
  rows: ReturnType<typeof foldEvents>;
  started: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** SQLSTATE classes that mean "this data is bad", not "the database is away". */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|42)/.test(code);
}

/**
 * Reads the call-log stream as one consumer of a group and writes batches to Postgres.
 * Entries are acknowledged only after their transaction committed; on restart the
 * consumer first re-reads its own pending entries, and it claims entries a dead consumer
 * left pending (XAUTOCLAIM). Undecodable or unwritable entries go to the dead-letter
 * stream with a reason. Every Redis/Postgres failure is retried with capped jittered backoff.
 *
 * @example
 * const c = new CallLogConsumer({ redis, writer: new LegWriter(db), stream, deadLetter, group: 'recorder', consumer: 'rec-1' });
 * await c.start(); ... await c.stop();
 */
export class CallLogConsumer {
  private readonly o: Required<Omit<CallLogConsumerOptions, 'logger' | 'metrics' | 'commandRedis' | 'onCommitted'>> &
    Pick<CallLogConsumerOptions, 'logger' | 'metrics' | 'onCommitted'>;
  private readonly cmd: ConsumerRedis;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private ownPendingDone = false;
  private lastClaim = 0;
  private failures = 0;

  constructor(opts: CallLogConsumerOptions) {
    this.o = { batchSize: 2_000, batchWaitMs: 100, claimIdleMs: 30_000, deadLetterMaxLen: 100_000, ...opts };
    this.cmd = opts.commandRedis ?? opts.redis;
  }

  async start(): Promise<void> {
    this.loop = this.run();
  }

  /** Finishes (commits and acks) the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /**
   * Reading and decoding batch N+1 overlaps with batch N's transaction (Postgres works on
   * its own cores meanwhile); commits and acks stay strictly one after another.
   */
  private async run(): Promise<void> {
    let inflight: Promise<void> | null = null;
    let commitError: unknown = null;
    while (!this.stopping) {
      try {
        await this.ensureGroup();
        const entries = await this.nextBatch();
        const batch = entries.length > 0 ? this.prepare(entries) : null;
        if (inflight) {
          await inflight;
          inflight = null;
          if (commitError) throw commitError;
        }
        if (batch) {
          inflight = this.commit(batch).catch((err: unknown) => {
            commitError = err;
          });
        }
        this.failures = 0;
      } catch (err) {
        inflight = null;
        commitError = null;
        // The stream (and its group) was deleted: create them again.
        if (String(err).includes('NOGROUP')) this.groupReady = false;
        // Whatever was in hand stays pending on this consumer: read it again first.
        this.ownPendingDone = false;
        this.o.logger?.warn({ err: String(err) }, 'call-log consumer: retrying');
        await sleep(backoffDelay(this.failures++, { baseMs: 100, maxMs: 5_000 }) + 20);
      }
    }
    await inflight;
  }

  private groupReady = false;
  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      await this.cmd.call('XGROUP', 'CREATE', this.o.stream, this.o.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err;
    }
    this.groupReady = true;
  }

  private readGroup(id: string, count: number, blockMs?: number): Promise<unknown> {
    const args: (string | number)[] = ['GROUP', this.o.group, this.o.consumer, 'COUNT', count];
    if (blockMs !== undefined) args.push('BLOCK', blockMs);
    return this.o.redis.call('XREADGROUP', ...args, 'STREAMS', this.o.stream, id);
  }

  /** Own pending entries first, then a claim of dead consumers' entries when due, then new ones. */
  private async nextBatch(): Promise<StreamEntry[]> {
    const size = this.o.batchSize;
    if (!this.ownPendingDone) {
      const mine = fromReadGroupReply(await this.readGroup('0', size));
      if (mine.length > 0) return mine;
      this.ownPendingDone = true;
    }
    if (Date.now() - this.lastClaim >= this.o.claimIdleMs / 2) {
      const reply = (await this.cmd.call(
        'XAUTOCLAIM',
        this.o.stream,
        this.o.group,
        this.o.consumer,
        this.o.claimIdleMs,
        '0-0',
        'COUNT',
        size,
      )) as [string, unknown];
      const claimed = toEntries(reply[1]);
      if (claimed.length > 0) {
        this.o.metrics?.claimed.inc(claimed.length);
        this.o.logger?.info({ n: claimed.length }, 'claimed entries of a dead consumer');
        return claimed;
      }
      this.lastClaim = Date.now();
    }
    const first = fromReadGroupReply(await this.readGroup('>', size, 1_000));
    if (first.length === 0 || first.length >= size) return first;
    // Fill the batch for up to batchWaitMs: fewer, larger transactions under load.
    const deadline = Date.now() + this.o.batchWaitMs;
    let batch = first;
    while (batch.length < size && !this.stopping) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const more = fromReadGroupReply(await this.readGroup('>', size - batch.length, left));
      if (more.length === 0) break;
      batch = batch.concat(more);
    }
    return batch;
  }

  /** Decodes and folds a batch (CPU only). */
  private prepare(entries: StreamEntry[]): PreparedBatch {
    const decoded = entries.map(decodeEntry);
    const poison = decoded.filter((d): d is Poison => 'poison' in d);
    const good = decoded.filter((d): d is Good => 'event' in d);
    return { ids: entries.map((e) => e.id), good, poison, rows: foldEvents(good.map((g) => g.event)), started: performance.now() };
  }

  /** Writes, dead-letters and acknowledges one prepared batch. */
  private async commit(b: PreparedBatch): Promise<void> {
    const rejected = await this.writeWithRetry(b);
    // Stopping mid-outage: leave the entries pending, a restart re-reads them.
    if (rejected === null) return;
    this.o.onCommitted?.(b.rows.legs.map((l) => l.started_at));
    const poison = [...b.poison, ...rejected];
    for (const p of poison) {
      // Dead letters are already acknowledged copies for people to inspect: capped, oldest go first.
      await this.cmd.call('XADD', this.o.deadLetter, 'MAXLEN', '~', this.o.deadLetterMaxLen, '*', 'id', p.id, 'reason', p.poison, 'e', p.raw);
    }
    this.o.metrics?.deadLettered.inc(poison.length);
    await this.cmd.call('XACK', this.o.stream, this.o.group, ...b.ids);
    this.o.metrics?.events.inc(b.ids.length);
    this.o.metrics?.batchSeconds.observe((performance.now() - b.started) / 1000);
  }

  /**
   * Writes one batch, retrying while Postgres is away. A data error (bad row) splits the
   * batch per leg so only the offending leg's entries become poison.
   */
  private async writeWithRetry(b: PreparedBatch): Promise<Poison[] | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.o.writer.write(b.rows);
        return [];
      } catch (err) {
        if (isDataError(err)) return this.writePerLeg(b.good);
        this.o.metrics?.writeRetries.inc();
        this.o.logger?.warn({ err: String(err), attempt }, 'call-log write failed; retrying');
        if (this.stopping) return null;
        await sleep(backoffDelay(attempt, { baseMs: 100, maxMs: 5_000 }) + 20);
      }
    }
  }

  private async writePerLeg(good: Good[]): Promise<Poison[]> {
    const byLeg = new Map<string, Good[]>();
    for (const g of good) {
      const list = byLeg.get(g.event.legId) ?? [];
      list.push(g);
      byLeg.set(g.event.legId, list);
    }
    const poison: Poison[] = [];
    for (const list of byLeg.values()) {
      try {
        await this.o.writer.write(foldEvents(list.map((g) => g.event)));
      } catch (err) {
        if (!isDataError(err)) throw err;
        for (const g of list) poison.push({ id: g.id, poison: `rejected by Postgres: ${String(err)}`, raw: JSON.stringify(g.event) });
      }
    }
    return poison;
  }
}
