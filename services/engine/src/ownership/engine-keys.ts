import { redisKeys } from '@switchyard/core';

/** Redis keys the engine uses: the shared ones from core plus the engine registry. */
export function engineKeys(prefix: string) {
  const k = redisKeys(prefix);
  return {
    ...k,
    /** Sorted set: engine id → last lease renewal (ms). */
    engines: () => `${prefix}engines`,
    /** Set of call uuids an engine owns, so a peer can take them over if it dies. */
    engineCalls: (engineId: string) => `${prefix}engine:${engineId}:calls`,
  } as const;
}
export type EngineKeys = ReturnType<typeof engineKeys>;
