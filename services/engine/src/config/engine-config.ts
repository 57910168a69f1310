import { baseConfigSchema, loadConfig } from '@switchyard/core';
import { z } from 'zod';

/** FreeSWITCH's stock ESL password: fine on a laptop, never in production. */
export const WELL_KNOWN_ESL_PASSWORD = 'ClueCon';

/** The engine's settings (env vars); a bad value stops start-up naming the variable. */
export const engineConfigSchema = baseConfigSchema
  .extend({
  /** Unique per process; ownership leases carry it. */
  ENGINE_ID: z.string().min(1).max(64).default(`engine-${process.pid}`),
  /** Ops HTTP port (/metrics, /health, /ready). */
  ENGINE_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9102),
  ENGINE_HTTP_HOST: z.string().default('127.0.0.1'),
  /** Outbound ESL server (`socket` dialplan app connects here); 0 = disabled. */
  ENGINE_OUTBOUND_PORT: z.coerce.number().int().min(0).max(65535).default(8084),
  ENGINE_OUTBOUND_HOST: z.string().default('127.0.0.1'),
  /** Inbound ESL password of the nodes; the well-known `ClueCon` only with SWITCHYARD_DEV=1. */
  ESL_PASSWORD: z.string().min(1).default(WELL_KNOWN_ESL_PASSWORD),
  REDIS_PREFIX: z.string().default('sy:'),
  /** Ownership lease; the owner renews it every third of this. */
  CALL_LEASE_MS: z.coerce.number().int().min(500).max(120_000).default(3_000),
  /** Snapshot TTL: how long a parked call stays re-attachable after its owner vanished. */
  CALL_SNAPSHOT_TTL_SECS: z.coerce.number().int().min(5).max(86_400).default(3_600),
  /** Every ESL command gets this long to answer. */
  ESL_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** A media app (playback...) may run this long before the watchdog ends the call. */
  ESL_APP_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
  /** Seconds in-flight calls get after SIGTERM. */
  DRAIN_SECS: z.coerce.number().int().min(0).max(3_600).default(30),
  /** Flow for DIDs without a route; empty = reject politely. */
  DEFAULT_FLOW_ID: z.string().default(''),
  /** What a call whose flow failed hears: `apology` (prompt then hangup) or `transfer:<sip uri>`. */
  FLOW_ERROR_ACTION: z.string().regex(/^(apology|transfer:\S+)$/).default('apology'),
  APOLOGY_FILE: z.string().default('ivr/technical-difficulties.wav'),
  /** How often the node list is re-read besides pub/sub notices. */
  NODE_POLL_MS: z.coerce.number().int().min(200).max(600_000).default(10_000),
  /** How often node ESL health is published to Redis for the fleet (key TTL = 3 intervals). */
  ESL_HEALTH_PUBLISH_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** Takeover scan for parked calls whose owner lapsed. */
  TAKEOVER_SCAN_MS: z.coerce.number().int().min(200).max(600_000).default(1_000),
  /** Module whose `flows` export holds the code flows (`@switchyard/ivr-flows` shape). */
  ENGINE_CODE_FLOWS: z.string().default('@switchyard/ivr-flows'),
  /** Dialplan context for transfers to queues and SIP targets. */
  TRANSFER_CONTEXT: z.string().regex(/^[\w.-]+$/).default('default'),
  /** Prefix for relative prompt paths in the publish-time `file_exists` check. */
  PROMPT_BASE_DIR: z.string().default(''),
  /** Every flow lookup (`dnc.add`, `account.balance`) is cut off after this long. */
  LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3_000),
  /** A call up this long without a hangup counts as stuck (switchyard_calls_stuck). */
  STUCK_CALL_SECS: z.coerce.number().int().min(1).max(604_800).default(7_200),
  /** Upper bound on calls this engine drives at once (bounded maps). */
  MAX_CALLS: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  })
  .superRefine((c, ctx) => {
    if (c.ESL_PASSWORD === WELL_KNOWN_ESL_PASSWORD && !c.SWITCHYARD_DEV) {
      ctx.addIssue({ code: 'custom', path: ['ESL_PASSWORD'], message: 'the well-known default ClueCon is refused outside dev mode: set ESL_PASSWORD (or SWITCHYARD_DEV=1 on a dev box)' });
    }
  });
export type EngineConfig = z.output<typeof engineConfigSchema>;

/** Reads the engine config from `env`. */
export function loadEngineConfig(env: Record<string, string | undefined> = process.env): EngineConfig {
  return loadConfig(engineConfigSchema, env);
}
