import type { CallOwnership } from './call-ownership.ts';

/**
 * Renews the engine lease every third of its length. A renewal that comes after a gap
 * longer than the lease (Redis was away) means peers may have taken calls over:
 * `onLapsed` lets the engine drop those, so no call is ever driven twice.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | null = null;
  private last = Date.now();

  constructor(
    private readonly ownership: CallOwnership,
    private readonly leaseMs: number,
    private readonly onLapsed: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  async start(): Promise<void> {
    await this.ownership.renewLease();
    this.last = Date.now();
    this.timer = setInterval(() => void this.renew().catch(this.onError), Math.max(100, Math.floor(this.leaseMs / 3)));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async renew(): Promise<void> {
    await this.ownership.renewLease();
    const gap = Date.now() - this.last;
    this.last = Date.now();
    if (gap > this.leaseMs) await this.onLapsed();
  }
}
