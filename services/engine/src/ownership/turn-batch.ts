/**
 * Gathers the requests of one event-loop turn and runs them as one batch at the end of
 * that turn: N claims (or releases) become one Redis command instead of N. Each caller
 * still gets its own result; a failed batch rejects each of its callers.
 */
export class TurnBatch<I, R> {
  private items: I[] = [];
  private waiters: { resolve(r: R): void; reject(err: unknown): void }[] = [];

  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    private readonly max = 500,
  ) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.items.length === 0) setImmediate(this.flush);
      this.items.push(item);
      this.waiters.push({ resolve, reject });
    });
  }

  private readonly flush = (): void => {
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    for (let i = 0; i < items.length; i += this.max) {
      const w = waiters.slice(i, i + this.max);
      this.run(items.slice(i, i + this.max)).then(
        (rs) => {
          for (let j = 0; j < w.length; j++) w[j]?.resolve(rs[j] as R);
        },
        (err: unknown) => {
          for (const x of w) x.reject(err);
        },
      );
    }
  };
}
