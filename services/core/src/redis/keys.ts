/**
 * Every Redis key Switchyard uses, in one place. `prefix` lets tests (and several
 * deployments on one Redis) stay apart.
 */
export function redisKeys(prefix = 'sy:') {
  return {
    /** Call ownership lease: value = engine id, PX = lease. */
    callOwner: (uuid: string) => `${prefix}call:${uuid}:owner`,
    /** Small per-call snapshot for takeover, with TTL. */
    callSnapshot: (uuid: string) => `${prefix}call:${uuid}:snap`,
    /** Channel counters. */
    nodeChannels: (node: string) => `${prefix}node:${node}:channels`,
    /** "1" with a short TTL while an engine's ESL control connection to the node is up. */
    nodeEslUp: (node: string) => `${prefix}node:${node}:esl`,
    globalChannels: () => `${prefix}channels`,
    /**
     * Dialer → engine hand-off marker: value = the engine id that claimed the dialer's
     * answered call and started its flow (short TTL). The dialer waits for it.
     */
    callHandoff: (uuid: string) => `${prefix}call:${uuid}:handoff`,
    /** Engine heartbeat / registry. */
    engineAlive: (engineId: string) => `${prefix}engine:${engineId}:alive`,
    /** Sorted set: engine id → last lease renewal (ms). */
    engines: () => `${prefix}engines`,
    /** Set of call uuids an engine owns, so a peer can take them over if it dies. */
    engineCalls: (engineId: string) => `${prefix}engine:${engineId}:calls`,
    /** Call-log stream and dead letters. */
    callLogStream: () => `${prefix}calllog`,
    callLogDeadLetter: () => `${prefix}calllog:dead`,
    /** Pub/sub channels for cache invalidation. */
    routesChanged: () => `${prefix}routes:changed`,
    flowsChanged: () => `${prefix}flows:changed`,
    fleetChanged: () => `${prefix}fleet:changed`,
    /** Dialer. */
    contactLock: (contactId: string) => `${prefix}dialer:contact:${contactId}`,
    fencing: () => `${prefix}dialer:fencing`,
    campaignProgress: (campaignId: string) => `${prefix}campaign:${campaignId}:progress`,
    /** API rate limit bucket per token. */
    rateLimit: (tokenId: string) => `${prefix}ratelimit:${tokenId}`,
  } as const;
}
export type RedisKeys = ReturnType<typeof redisKeys>;
