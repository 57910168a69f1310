import type { Logger } from '@switchyard/core';
import type { CallLogConsumer } from './call-log-consumer.ts';
import type { KpiRollupKeeper } from './kpi-rollup-keeper.ts';
import type { LostLegReconciler } from './lost-leg-reconciler.ts';
import type { PartitionKeeper } from './partition-keeper.ts';
import type { StreamJanitor } from './stream-janitor.ts';

/** The recorder's parts and how often the periodic ones run. */
export interface RecorderParts {
  /** Several consumers of one group overlap their transactions (writes are order-free merges). */
  consumers: CallLogConsumer[];
  janitor: StreamJanitor;
  reconciler: LostLegReconciler;
  partitions: PartitionKeeper;
  rollup: KpiRollupKeeper;
  janitorEveryMs: number;
  rollupEveryMs: number;
  reconcileEveryMs: number;
  partitionsEveryMs?: number;
  logger?: Logger;
}

/**
 * Runs the consumer plus the periodic jobs (stream janitor, lost-leg reconciler, KPI
 * rollup, partition keeper). A failing job is logged and retried at its next tick.
 *
 * @example
 * const r = new Recorder(parts); await r.start(); process.on('SIGTERM', () => r.stop());
 */
export class Recorder {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly busy = new Set<string>();

  constructor(private readonly p: RecorderParts) {}

  async start(): Promise<void> {
    await this.tick('partitions', () => this.p.partitions.run());
    for (const c of this.p.consumers) await c.start();
    this.every('janitor', this.p.janitorEveryMs, () => this.p.janitor.run());
    this.every('reconciler', this.p.reconcileEveryMs, () => this.p.reconciler.run());
    this.every('rollup', this.p.rollupEveryMs, () => this.p.rollup.run());
    this.every('partitions', this.p.partitionsEveryMs ?? 3_600_000, () => this.p.partitions.run());
    this.p.logger?.info('recorder started');
  }

  /** Stops the timers and drains the consumers (batches in hand are committed and acked). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.p.consumers.map((c) => c.stop()));
    this.p.logger?.info('recorder stopped');
  }

  private every(name: string, ms: number, job: () => Promise<unknown>): void {
    this.timers.push(setInterval(() => void this.tick(name, job), ms));
  }

  /** Runs a job unless its previous run is still going (no pile-up when Postgres is slow). */
  private async tick(name: string, job: () => Promise<unknown>): Promise<void> {
    if (this.busy.has(name)) return;
    this.busy.add(name);
    try {
      await job();
    } catch (err) {
      this.p.logger?.warn({ err: String(err), job: name }, 'recorder job failed; will retry');
    } finally {
      this.busy.delete(name);
    }
  }
}
