import type { Database, Kysely, Logger, Redis, RedisKeys } from '@switchyard/core';
import type { ApiPorts } from './api-ports.ts';

export interface PortDeps {
  db: Kysely<Database>;
  redis: Redis;
  keys: RedisKeys;
  log: Logger;
}

/** Builds the ports from the domain libraries that have landed. */
export function buildPorts(_deps: PortDeps): ApiPorts {
  return {};
}
