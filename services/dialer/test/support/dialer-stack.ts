// Pieces the process-level dialer tests share: fs-sim nodes in the fleet table, SIPp far
// ends, and real dialer processes (src/main.ts) started and stopped by PID.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis, redisReady } from '@switchyard/core';
import { freeTcpPort, freeUdpPort, type ManagedProcess, startProcess, type TestDatabase, testRedisUrl, udpPortBound, waitFor } from '@switchyard/core/testing';
import { type FsSim, startFsSim } from '@switchyard/fs-sim';

const sippDir = fileURLToPath(new URL('../sipp/', import.meta.url));
const dialerMain = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** A SIPp UAS running one of test/sipp/*.xml. */
export interface Uas {
  ip: string;
  port: number;
  proc: ManagedProcess;
}

/**
 * Starts SIPp as a UAS on `ip` (default 127.0.0.1). `talkMs` (answer-bye.xml): how long the
 * far end talks before its BYE; the scenario is copied to `dir` with its talk timeout changed.
 */
export async function startUas(
  scenario: 'answer' | 'answer-bye' | 'busy' | 'noanswer',
  o: { ip?: string; port?: number; talk?: { ms: number; dir: string }; errorFile?: string } = {},
): Promise<Uas> {
  const ip = o.ip ?? '127.0.0.1';
  const port = o.port ?? (await freeUdpPort(ip));
  let file = `${sippDir}${scenario}.xml`;
  if (o.talk) {
    const copy = path.join(o.talk.dir, `${scenario}-${o.talk.ms}.xml`);
    writeFileSync(copy, readFileSync(file, 'utf8').replaceAll('timeout="300"', `timeout="${o.talk.ms}"`));
    file = copy;
  }
  const args = ['-sf', file, '-i', ip, '-p', String(port), '-nostdin'];
  if (o.errorFile) args.push('-trace_err', '-error_file', o.errorFile);
  const proc = startProcess('/usr/bin/sipp', args);
  // Bound (ready for the first INVITE) or gone: a slow start on a loaded machine is not a failure.
  await waitFor(async () => proc.child.exitCode !== null || (await udpPortBound(port)), { timeoutMs: 10_000, what: `SIPp ${scenario} UAS on ${port}` });
  if (proc.child.exitCode !== null) throw new Error(`SIPp ${scenario} UAS exited: ${proc.output()}`);
  return { ip, port, proc };
}

/** `n` fs-sim nodes, registered active in the fleet's `nodes` table as fs0, fs1, ... */
export async function startNodes(t: TestDatabase, n: number): Promise<FsSim[]> {
  const sims: FsSim[] = [];
  for (let i = 0; i < n; i++) {
    const sim = await startFsSim({ heartbeatMs: 0 });
    sims.push(sim);
    await t.db.insertInto('nodes').values({ name: `fs${i}`, esl_host: '127.0.0.1', esl_port: sim.eslPort, sip_uri: `sip:127.0.0.1:${sim.sipPort}`, state: 'active' }).execute();
  }
  return sims;
}

/** A dialer process (the real main.ts: EslSwitch, fleet nodes from Postgres, call log to Redis). */
export interface DialerProcess {
  proc: ManagedProcess;
  opsPort: number;
  ops(path: string): Promise<Response>;
}

/**
 * Starts `src/main.ts` with its ops listener on a free port and waits until it says ready.
 * `env` adds to what every test needs (database, Redis, prefix, dev password, data dir).
 */
export async function startDialer(
  t: TestDatabase,
  o: { id: string; redisPrefix: string; dataDir: string; dialString: string; env?: Record<string, string> },
): Promise<DialerProcess> {
  const opsPort = await freeTcpPort();
  const proc = startProcess(process.execPath, ['--import', 'tsx', dialerMain], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: testRedisUrl(),
      SWITCHYARD_DEV: '1',
      SWITCHYARD_DATA_DIR: o.dataDir,
      LOG_LEVEL: 'warn',
      DIALER_ID: o.id,
      DIALER_REDIS_PREFIX: o.redisPrefix,
      DIALER_DIAL_STRING: o.dialString,
      // No engine in these tests: an answered call counts as connected; the far end hangs up.
      DIALER_HANDOFF: 'none',
      DIALER_ORIGINATE_TIMEOUT_SEC: '10',
      DIALER_OPS_PORT: String(opsPort),
      ...o.env,
    },
  });
  await waitFor(() => proc.output().includes('"msg":"dialer ready"') || proc.child.exitCode !== null, { timeoutMs: 30_000, what: `dialer ${o.id} ready` });
  if (proc.child.exitCode !== null) throw new Error(`dialer ${o.id} exited: ${proc.output()}`);
  return { proc, opsPort, ops: (path) => fetch(`http://127.0.0.1:${opsPort}${path}`) };
}

/** Deletes every Redis key under a test's prefix (call-log stream, rate buckets, progress). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = createRedis(testRedisUrl());
  try {
    await redisReady(redis); // no offline queue: commands fail until connected
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
