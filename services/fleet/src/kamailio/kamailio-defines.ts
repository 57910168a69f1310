import { isIPv4 } from 'node:net';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository's production config. */
export const KAMAILIO_CFG = fileURLToPath(new URL('../../../../kamailio/kamailio.cfg', import.meta.url));
/** The minimal stateless relay used as the bench's peer. */
export const KAMAILIO_BARE_RELAY_CFG = fileURLToPath(new URL('../../../../kamailio/bare-relay.cfg', import.meta.url));

const port = z.number().int().min(1).max(65535);
const ipv4 = z.string().refine((s) => isIPv4(s), 'must be an IPv4 address');

/** What a Kamailio run needs: addresses, ports, DB, memory, and any cfg define. */
export const kamailioRunSchema = z.object({
  cfgPath: z.string().default(KAMAILIO_CFG),
  sipIp: ipv4.default('127.0.0.1'),
  sipPort: port,
  rpcIp: ipv4.default('127.0.0.1'),
  rpcPort: port,
  /** Postgres URL for dispatcher/permissions/htable (omit for cfgs without a DB). */
  dbUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^\s"']+$/, 'must be a postgres:// URL without quotes or spaces')
    .optional(),
  /** Shared memory in MB (Debian's 64 MB default caps an edge near 400 CPS). */
  shmMb: z.number().int().min(16).max(65_536).default(256),
  /** tlsf is the faster shm allocator under load. */
  shmAllocator: z.enum(['qm', 'fm', 'tlsf']).default('tlsf'),
  children: z.number().int().min(1).max(64).default(4),
  /** Extra defines (e.g. PIKE_DENSITY, DS_PING_INTERVAL, FR_TIMER); numbers or plain strings. */
  defines: z
    .record(
      z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'define names are UPPER_SNAKE'),
      z.union([z.number().int(), z.string().regex(/^[^"\n\r\\]*$/, 'no quotes, backslashes or newlines')]),
    )
    .default({}),
});
export type KamailioRunOptions = z.input<typeof kamailioRunSchema>;
export type KamailioRun = z.output<typeof kamailioRunSchema>;

/** A value the cfg cannot take; the message names it. */
export class KamailioConfigError extends Error {
  constructor(
    message: string,
    /** Kamailio's own words (`kamailio -c` output), when it was asked. */
    readonly kamailioOutput = '',
  ) {
    super(message);
    this.name = 'KamailioConfigError';
  }
}

/** Validates run options (throws KamailioConfigError naming the bad field). */
export function parseKamailioRun(opts: KamailioRunOptions): KamailioRun {
  const p = kamailioRunSchema.safeParse(opts);
  if (!p.success) {
    throw new KamailioConfigError(
      `invalid Kamailio settings: ${p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return p.data;
}

/** `-A` arguments for a run (pure). Strings are quoted the way Kamailio's preprocessor wants. */
export function defineArgs(run: KamailioRun): string[] {
  const all: Record<string, string | number> = {
    SIP_IP: run.sipIp,
    SIP_PORT: run.sipPort,
    RPC_IP: run.rpcIp,
    RPC_PORT: run.rpcPort,
    CHILDREN: run.children,
    ...run.defines,
  };
  if (run.dbUrl) all.DB_URL = run.dbUrl;
  const args: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    // Numbers and listen addresses are bare tokens in the cfg (listen=udp:SIP_IP:SIP_PORT).
    const bare = typeof v === 'number' || /^\d+$/.test(v) || isIPv4(v);
    args.push('-A', `${k}=${bare ? v : `"${v}"`}`);
  }
  return args;
}
