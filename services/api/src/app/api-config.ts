import { baseConfigSchema } from '@switchyard/core';
import { z } from 'zod';

/** The API's environment: the shared settings plus its own. */
export const apiConfigSchema = baseConfigSchema.extend({
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  API_HOST: z.string().default('127.0.0.1'),
  /** Requests per token per window. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  API_RATE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  /** How long SIGTERM waits for in-flight requests (`drain_secs`). */
  API_DRAIN_SECS: z.coerce.number().min(0).default(30),
  REDIS_PREFIX: z.string().default('sy:'),
  /** Kamailio's JSON-RPC (jsonrpcs over HTTP) for fleet and edge changes. */
  KAMAILIO_RPC_URL: z.string().url().default('http://127.0.0.1:5089/RPC'),
  /** Node lifecycle tick in this process (ms); 0 = another process runs it. */
  FLEET_TICK_MS: z.coerce.number().int().min(0).default(2_000),
  /** A node's ESL key must be missing this long (Redis reachable) before the fleet demotes it. */
  FLEET_ESL_DOWN_GRACE_MS: z.coerce.number().int().min(0).default(15_000),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;
