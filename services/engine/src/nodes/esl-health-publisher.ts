import type { Redis } from '@switchyard/core';

/** What the publisher needs from the node manager. */
export interface EslHealthView {
  names(): string[];
  isEslUp(node: string): boolean;
}

/**
 * Publishes each node's ESL state where the fleet reads it (`nodeEslUp` = "1" with a TTL
 * of a few intervals), so a node becomes `active` only while some engine's control
 * connection to it is up. A node whose link is down gets no write: its key simply expires,
 * so one engine losing a node does not mark it down while another engine still has it.
 */
export class EslHealthPublisher {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly o: {
      redis: Pick<Redis, 'pipeline'>;
      view: EslHealthView;
      key: (node: string) => string;
      everyMs: number;
      onError: (err: unknown) => void;
    },
  ) {}

  /** One round: SET … PX for every node whose link is up (one pipelined write). */
  async publish(): Promise<number> {
    const up = this.o.view.names().filter((n) => this.o.view.isEslUp(n));
    if (up.length === 0) return 0;
    const ttlMs = Math.max(3_000, this.o.everyMs * 3);
    const pipe = this.o.redis.pipeline();
    for (const n of up) pipe.set(this.o.key(n), '1', 'PX', ttlMs);
    await pipe.exec();
    return up.length;
  }

  start(): void {
    this.stop();
    const tick = () => void this.publish().catch(this.o.onError);
    tick();
    this.timer = setInterval(tick, this.o.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
