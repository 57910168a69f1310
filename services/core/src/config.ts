import { z } from 'zod';

/**
 * Settings every service shares. Each service extends this schema with its own keys and
 * calls {@link loadConfig}; a bad value stops start-up with a message naming the variable.
 *
 * @example
 * const cfg = loadConfig(baseConfigSchema.extend({ PORT: z.coerce.number().default(3000) }));
 */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().url().default('postgres://switchyard:switchyard@127.0.0.1:5432/switchyard'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWITCHYARD_DATA_DIR: z.string().default('.data'),
  /** Dev mode allows well-known defaults (ESL password ClueCon); production refuses them. */
  SWITCHYARD_DEV: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `env` (default `process.env`) with `schema`; throws ConfigError naming each bad variable. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const res = schema.safeParse(env);
  if (res.success) return res.data;
  throw new ConfigError(
    res.error.issues.map((i) => ({ variable: i.path.map(String).join('.') || '(root)', message: i.message })),
  );
}
