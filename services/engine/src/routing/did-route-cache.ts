import type { Database, Kysely } from '@switchyard/core';

/** Where a dialled number goes. */
export interface DidRoute {
  readonly did: string;
  readonly flowId: string;
  readonly flavour: 'inbound' | 'outbound';
}

/** The part of an ioredis subscriber connection the cache uses. */
export interface RouteSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', fn: (channel: string, message: string) => void): unknown;
  on(event: 'ready', fn: () => void): unknown;
}

/** Options of {@link DidRouteCache}. */
export interface DidRouteCacheOptions {
  db: Kysely<Database>;
  subscriber: RouteSubscriber;
  /** Pub/sub channel announcing route changes (`redisKeys().routesChanged()`). */
  channel: string;
  /** Safety-net refresh even without notices (missed messages while Redis was away). */
  refreshMs?: number;
  onError?: (err: unknown) => void;
}

const DEFAULT_KEY = 'default';

/** Strips formatting so `+1 (555) 010-0000` and `15550100000` meet. */
export function normaliseDid(n: string): string {
  return n === DEFAULT_KEY ? n : n.replace(/[^\d*#]/g, '');
}

/**
 * DID → flow routes, held in memory (one Map lookup per call, no database round trip)
 * and reloaded whole when a notice arrives on `channel`, on every Redis reconnect, and
 * every `refreshMs`. Reloads are coalesced: a burst of notices costs one query.
 *
 * @example
 * const routes = new DidRouteCache({ db, subscriber, channel: keys.routesChanged() });
 * await routes.start();
 * routes.lookup('15550100');
 */
export class DidRouteCache {
  private routes = new Map<string, DidRoute>();
  private loading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private version = 0;

  constructor(private readonly o: DidRouteCacheOptions) {}

  /** Loads the routes and subscribes to change notices. */
  async start(): Promise<void> {
    this.o.subscriber.on('message', (ch) => {
      if (ch === this.o.channel) void this.refresh();
    });
    this.o.subscriber.on('ready', () => void this.refresh());
    await this.o.subscriber.subscribe(this.o.channel);
    await this.refresh();
    const every = this.o.refreshMs ?? 60_000;
    this.timer = setInterval(() => void this.refresh(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The route for a dialled number, or undefined. O(1). */
  lookup(dialled: string): DidRoute | undefined {
    return this.routes.get(normaliseDid(dialled));
  }

  /** The route for a dialled number, else the table's `default` row, else undefined. */
  resolve(dialled: string): DidRoute | undefined {
    return this.routes.get(normaliseDid(dialled)) ?? this.routes.get(DEFAULT_KEY);
  }

  get size(): number {
    return this.routes.size;
  }

  /** Times the table was (re)loaded; tests wait on it. */
  get loads(): number {
    return this.version;
  }

  /** Reloads now; concurrent calls share one query plus at most one follow-up. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.load()
      .catch((err) => this.o.onError?.(err))
      .finally(() => {
        this.loading = null;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.o.db
      .selectFrom('did_routes')
      .select(['did', 'flow_id', 'flavour'])
      .where('enabled', '=', true)
      .execute();
    const next = new Map<string, DidRoute>();
    for (const r of rows) next.set(normaliseDid(r.did), { did: r.did, flowId: r.flow_id, flavour: r.flavour });
    this.routes = next;
    this.version++;
  }
}
