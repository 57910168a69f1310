import 'reflect-metadata';
import { createDb, createLogger, createMetricsRegistry, createRedis, loadConfig, redisKeys, redactUrl } from '@switchyard/core';
import { DrainController, installGracefulShutdown, pingCheck } from '@switchyard/core/http';
import { sql } from 'kysely';
import { apiConfigSchema } from './app/api-config.ts';
import { createApiApp } from './app/create-api-app.ts';
import { buildPorts } from './app/build-ports.ts';

// Entry point: `tsx services/api/src/main.ts` (env: see api-config.ts).
const cfg = loadConfig(apiConfigSchema);
const log = createLogger('api', cfg.LOG_LEVEL);
const db = createDb(cfg.DATABASE_URL);
const redis = createRedis(cfg.REDIS_URL);
redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'));
const keys = redisKeys(cfg.REDIS_PREFIX);
const drain = new DrainController();
const registry = createMetricsRegistry('api');
const built = await buildPorts({
  db,
  redis,
  newRedis: () => createRedis(cfg.REDIS_URL),
  keys,
  redisPrefix: cfg.REDIS_PREFIX,
  log,
  kamailioRpcUrl: cfg.KAMAILIO_RPC_URL,
  fleetTickMs: cfg.FLEET_TICK_MS,
  eslDownGraceMs: cfg.FLEET_ESL_DOWN_GRACE_MS,
  registry,
});
const api = await createApiApp({
  db,
  redis,
  rateLimitKey: keys.rateLimit,
  log,
  registry,
  drain,
  checks: [pingCheck('postgres', () => sql`select 1`.execute(db)), pingCheck('redis', () => redis.ping())],
  ports: built.ports,
  rateLimit: { perWindow: cfg.API_RATE_LIMIT, windowMs: cfg.API_RATE_WINDOW_MS },
});
const port = await api.listen(cfg.API_PORT, cfg.API_HOST);
installGracefulShutdown({
  drain,
  drainTimeoutMs: cfg.API_DRAIN_SECS * 1000,
  log,
  close: async () => {
    await api.close();
    await built.stop();
    await db.destroy();
    redis.disconnect();
  },
});
log.info({ port, host: cfg.API_HOST, db: redactUrl(cfg.DATABASE_URL) }, 'api listening');
// Tests and scripts read this line to learn the port.
process.stdout.write(`api listening on ${cfg.API_HOST}:${port}\n`);
