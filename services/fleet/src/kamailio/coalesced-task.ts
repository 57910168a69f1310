/**
 * Runs an idempotent task (a Kamailio reload) so that callers arriving while one run waits
 * share the next run instead of queueing their own: N changes in a burst cost at most two
 * reloads, and every caller's change is covered by a run that started after it asked.
 */
export class CoalescedTask {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.queued) return this.queued;
    const prev = this.running ?? Promise.resolve();
    const next = prev
      .catch(() => {})
      .then(() => {
        this.queued = null;
        const p = this.task();
        this.running = p;
        return p.finally(() => {
          if (this.running === p) this.running = null;
        });
      });
    this.queued = next;
    return next;
  }
}
