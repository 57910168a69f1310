import type { Redis } from 'ioredis';
import type { CallSnapshot } from './call-snapshot.ts';
import { parseSnapshot } from './call-snapshot.ts';
import type { EngineKeys } from './engine-keys.ts';

// Claim: the call is ours if nobody owns it, or its owner's lease has lapsed.
// KEYS: owner, myCalls, engines, nodeCounter, globalCounter  ARGV: me, now, leaseMs, isNew
const CLAIM = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then return 1 end
if cur then
  local seen = redis.call('ZSCORE', KEYS[3], cur)
  if seen and tonumber(seen) + tonumber(ARGV[3]) > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[5])
if not cur and ARGV[4] == '1' then
  redis.call('INCR', KEYS[4]); redis.call('INCR', KEYS[5])
end
return 1`;

// Release: only the owner releases; counters go down once.
// KEYS: owner, myCalls, snap, nodeCounter, globalCounter  ARGV: me, uuid
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('SREM', KEYS[2], ARGV[2])
if tonumber(redis.call('DECR', KEYS[4])) < 0 then redis.call('SET', KEYS[4], 0) end
if tonumber(redis.call('DECR', KEYS[5])) < 0 then redis.call('SET', KEYS[5], 0) end
return 1`;

/** How long the dialer hand-off marker lives. */
const HANDOFF_MARKER_TTL_MS = 60_000;

/** The commands {@link CallOwnership} defines on its client. */
interface OwnershipScripts {
  syCallClaim(...args: string[]): Promise<number>;
  syCallRelease(...args: string[]): Promise<number>;
}

/** Options of {@link CallOwnership}. */
export interface CallOwnershipOptions {
  redis: Redis;
  keys: EngineKeys;
  engineId: string;
  /** The engine lease; calls of an engine not renewed for this long may be taken over. */
  leaseMs: number;
  snapshotTtlSecs: number;
}

/**
 * Exactly-one-driver ownership of calls in Redis. The lease belongs to the engine (one
 * renewal per interval, whatever the call count); each call records its owner, so a
 * claim succeeds only when the call is free or its owner's lease has lapsed.
 *
 * @example
 * const own = new CallOwnership({ redis, keys, engineId: 'e1', leaseMs: 3000, snapshotTtlSecs: 3600 });
 * await own.renewLease();
 * if (await own.claim(uuid, 'fs1', true)) drive();
 */
export class CallOwnership {
  constructor(private readonly o: CallOwnershipOptions) {
    // EVALSHA after the first call: the scripts are not resent with every claim.
    o.redis.defineCommand('syCallClaim', { numberOfKeys: 5, lua: CLAIM });
    o.redis.defineCommand('syCallRelease', { numberOfKeys: 5, lua: RELEASE });
  }

  private get scripts(): OwnershipScripts {
    return this.o.redis as unknown as OwnershipScripts;
  }

  get engineId(): string {
    return this.o.engineId;
  }

  /** Marks this engine alive now; call every leaseMs/3. */
  async renewLease(now = Date.now()): Promise<void> {
    await this.o.redis.zadd(this.o.keys.engines(), now, this.o.engineId);
  }

  /** Atomically claims `uuid`. `isNew` counts it on the node and global channel counters. */
  async claim(uuid: string, node: string, isNew: boolean): Promise<boolean> {
    const k = this.o.keys;
    const r = await this.scripts.syCallClaim(
      k.callOwner(uuid),
      k.engineCalls(this.o.engineId),
      k.engines(),
      k.nodeChannels(node),
      k.globalChannels(),
      this.o.engineId,
      String(Date.now()),
      String(this.o.leaseMs),
      isNew ? '1' : '0',
      uuid,
    );
    return r === 1;
  }

  /** Gives a finished call up (idempotent; only the owner's release counts). */
  async release(uuid: string, node: string): Promise<boolean> {
    const k = this.o.keys;
    const r = await this.scripts.syCallRelease(
      k.callOwner(uuid),
      k.engineCalls(this.o.engineId),
      k.callSnapshot(uuid),
      k.nodeChannels(node),
      k.globalChannels(),
      this.o.engineId,
      uuid,
    );
    return r === 1;
  }

  /**
   * Tells the dialer its answered call is connected to a flow (the hand-off marker it
   * waits for; short-lived: the dialer only needs it within its abandon window).
   */
  markHandoff(uuid: string, ttlMs = HANDOFF_MARKER_TTL_MS): Promise<unknown> {
    return this.o.redis.set(this.o.keys.callHandoff(uuid), this.o.engineId, 'PX', ttlMs);
  }

  /** Stores the call's snapshot (fire-and-forget on the call path: errors are swallowed by the caller). */
  saveSnapshot(s: CallSnapshot): Promise<unknown> {
    return this.o.redis.set(this.o.keys.callSnapshot(s.callId), JSON.stringify(s), 'EX', this.o.snapshotTtlSecs);
  }

  async loadSnapshot(uuid: string): Promise<CallSnapshot | undefined> {
    return parseSnapshot(await this.o.redis.get(this.o.keys.callSnapshot(uuid)));
  }

  /** Current owner of `uuid`, if any. */
  owner(uuid: string): Promise<string | null> {
    return this.o.redis.get(this.o.keys.callOwner(uuid));
  }

  /** Engines whose lease lapsed (excluding this one). */
  async lapsedEngines(now = Date.now()): Promise<string[]> {
    const ids = await this.o.redis.zrangebyscore(this.o.keys.engines(), 0, now - this.o.leaseMs);
    return ids.filter((id) => id !== this.o.engineId);
  }

  /** Up to `limit` calls a (lapsed) engine still owns. */
  async callsOf(engineId: string, limit = 500): Promise<string[]> {
    const [, members] = await this.o.redis.sscan(this.o.keys.engineCalls(engineId), '0', 'COUNT', limit);
    return members;
  }

  /** Forgets a lapsed engine whose calls are all taken over or gone. */
  async forgetEngine(engineId: string): Promise<void> {
    const k = this.o.keys;
    const left = await this.o.redis.scard(k.engineCalls(engineId));
    if (left === 0) await this.o.redis.zrem(k.engines(), engineId);
  }

  /** Drops `uuid` from a lapsed engine's set (the call is gone or now ours). */
  async disown(engineId: string, uuid: string): Promise<void> {
    await this.o.redis.srem(this.o.keys.engineCalls(engineId), uuid);
  }

  /** Per-node and global channel counters. */
  async channelCounts(node: string): Promise<{ node: number; global: number }> {
    const k = this.o.keys;
    const [n, g] = await this.o.redis.mget(k.nodeChannels(node), k.globalChannels());
    return { node: Number(n ?? 0), global: Number(g ?? 0) };
  }

  /** Leaves the registry on a clean shutdown (after every call was released). */
  async leave(): Promise<void> {
    await this.o.redis.zrem(this.o.keys.engines(), this.o.engineId);
  }
}
