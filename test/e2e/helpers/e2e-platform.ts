import { createTestDatabase, type TestDatabase, testRedisPrefix, testRedisUrl } from '@switchyard/core/testing';
import { type Platform, startPlatform } from '../../../scripts/start/platform.ts';
import { freePlatformPorts } from '../../../scripts/start/platform-ports.ts';

/** A private platform (free ports, own database and Redis prefix) over the `npm start` code path. */
export interface E2ePlatform {
  p: Platform;
  tdb: TestDatabase;
  edge: string;
  stop(): Promise<void>;
}

/** fs-sim media runs 4× faster than real time so a menu call takes a couple of seconds. */
export async function startE2ePlatform(o: { dialString?: string; tag: string }): Promise<E2ePlatform> {
  const tdb = await createTestDatabase();
  const ports = await freePlatformPorts();
  try {
    const p = await startPlatform({
      ports,
      databaseUrl: tdb.url,
      redisUrl: testRedisUrl(),
      redisPrefix: testRedisPrefix(o.tag),
      dataDir: `/tmp/sy-e2e-${o.tag}-${process.pid}`,
      mediaScale: 4,
      logLevel: 'warn',
      dialString: o.dialString,
      serviceEnv: { recorder: { RECORDER_BATCH_WAIT_MS: '50' } },
    });
    return {
      p,
      tdb,
      edge: `127.0.0.1:${ports.kamailioSip}`,
      async stop() {
        await p.stop();
        await tdb.drop();
      },
    };
  } catch (err) {
    await tdb.drop();
    throw err;
  }
}
