import { redisKeys } from '@switchyard/core';

/** Redis keys the engine uses (all defined in core's `redisKeys`). */
export function engineKeys(prefix: string) {
  return redisKeys(prefix);
}
export type EngineKeys = ReturnType<typeof engineKeys>;
