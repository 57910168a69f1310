import type { Redis } from 'ioredis';
import type { CallSnapshot } from './call-snapshot.ts';
import { parseSnapshot } from './call-snapshot.ts';
import type { EngineKeys } from './engine-keys.ts';
import { TurnBatch } from './turn-batch.ts';

// Claims of one event-loop turn in one script. A call is ours if nobody owns it, or its
// owner's lease has lapsed; a new call counts on its node's and the global channel counters.
// KEYS: myCalls, engines, globalCounter, then per call: owner, nodeCounter
// ARGV: me, now, leaseMs, then per call: isNew, uuid          → one 0/1 per call
const CLAIM = `
local me, now, lease = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 1, (#KEYS - 3) / 2 do
  local owner, nodeKey, isNew, uuid = KEYS[2 + 2 * i], KEYS[3 + 2 * i], ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  local cur = redis.call('GET', owner)
  local won = 1
  if cur ~= me then
    if cur then
      local seen = redis.call('ZSCORE', KEYS[2], cur)
      if seen and tonumber(seen) + lease > now then won = 0 end
    end
    if won == 1 then
      redis.call('SET', owner, me)
      redis.call('SADD', KEYS[1], uuid)
      if not cur and isNew == '1' then
        redis.call('INCR', nodeKey); redis.call('INCR', KEYS[3])
      end
    end
  end
  out[i] = won
end
return out`;

// Releases of one turn. Only the owner releases; counters go down once.
// KEYS: myCalls, globalCounter, then per call: owner, snap, nodeCounter  ARGV: me, then per call: uuid
const RELEASE = `
local out = {}
for i = 1, (#KEYS - 2) / 3 do
  local owner, snap, nodeKey = KEYS[3 * i], KEYS[3 * i + 1], KEYS[3 * i + 2]
  if redis.call('GET', owner) ~= ARGV[1] then out[i] = 0 else
    redis.call('DEL', owner, snap)
    redis.call('SREM', KEYS[1], ARGV[1 + i])
    if tonumber(redis.call('DECR', nodeKey)) < 0 then redis.call('SET', nodeKey, 0) end
    if tonumber(redis.call('DECR', KEYS[2])) < 0 then redis.call('SET', KEYS[2], 0) end
    out[i] = 1
  end
end
return out`;

// Many calls' snapshots in one command. KEYS: snapshot keys  ARGV: ttlSecs, one JSON per key
const SNAPSHOTS = `
for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', ARGV[1]) end
return #KEYS`;

/** How long the dialer hand-off marker lives. */
const HANDOFF_MARKER_TTL_MS = 60_000;

/** The commands {@link CallOwnership} defines on its client. */
interface OwnershipScripts {
  syCallClaims(numKeys: number, ...args: string[]): Promise<number[]>;
  syCallReleases(numKeys: number, ...args: string[]): Promise<number[]>;
  syCallSnapshots(numKeys: number, ...args: string[]): Promise<number>;
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
  private readonly claims = new TurnBatch((c: { uuid: string; node: string; isNew: boolean }[]) => this.claimMany(c));
  private readonly releases = new TurnBatch((c: { uuid: string; node: string }[]) => this.releaseMany(c));

  constructor(private readonly o: CallOwnershipOptions) {
    // EVALSHA after the first call: the scripts are not resent with every claim.
    o.redis.defineCommand('syCallClaims', { lua: CLAIM });
    o.redis.defineCommand('syCallReleases', { lua: RELEASE });
    o.redis.defineCommand('syCallSnapshots', { lua: SNAPSHOTS });
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

  /** Atomically claims `uuid`. `isNew` counts it on the node and global channel counters. Batched per event-loop turn. */
  claim(uuid: string, node: string, isNew: boolean): Promise<boolean> {
    return this.claims.add({ uuid, node, isNew });
  }

  /** Gives a finished call up (idempotent; only the owner's release counts). Batched per event-loop turn. */
  release(uuid: string, node: string): Promise<boolean> {
    return this.releases.add({ uuid, node });
  }

  private async claimMany(calls: { uuid: string; node: string; isNew: boolean }[]): Promise<boolean[]> {
    const k = this.o.keys;
    const keys = [k.engineCalls(this.o.engineId), k.engines(), k.globalChannels()];
    const argv = [this.o.engineId, String(Date.now()), String(this.o.leaseMs)];
    for (const c of calls) {
      keys.push(k.callOwner(c.uuid), k.nodeChannels(c.node));
      argv.push(c.isNew ? '1' : '0', c.uuid);
    }
    const r = await this.scripts.syCallClaims(keys.length, ...keys, ...argv);
    return r.map((x) => x === 1);
  }

  private async releaseMany(calls: { uuid: string; node: string }[]): Promise<boolean[]> {
    const k = this.o.keys;
    const keys = [k.engineCalls(this.o.engineId), k.globalChannels()];
    const argv = [this.o.engineId];
    for (const c of calls) {
      keys.push(k.callOwner(c.uuid), k.callSnapshot(c.uuid), k.nodeChannels(c.node));
      argv.push(c.uuid);
    }
    const r = await this.scripts.syCallReleases(keys.length, ...keys, ...argv);
    return r.map((x) => x === 1);
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

  /** Stores several calls' snapshots in one round trip (the engine's SnapshotWriter batches). */
  saveSnapshots(batch: readonly CallSnapshot[]): Promise<unknown> {
    if (batch.length === 0) return Promise.resolve(0);
    const args: string[] = new Array(batch.length * 2 + 1);
    args[batch.length] = String(this.o.snapshotTtlSecs);
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i] as CallSnapshot;
      args[i] = this.o.keys.callSnapshot(s.callId);
      args[batch.length + 1 + i] = JSON.stringify(s);
    }
    return this.scripts.syCallSnapshots(batch.length, ...args);
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
