import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, startProcess, type TestDatabase, testRedisPrefix, waitFor } from '@switchyard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A "Kamailio" that accepts the RPC connection and never answers: the fleet tick hangs in it.
describe('SIGTERM with a running fleet ticker and Redis (child process)', () => {
  let tdb: TestDatabase;
  let stalled: net.Server;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    tdb = await createTestDatabase();
    stalled = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => stalled.close(r));
    await tdb?.drop();
  });

  it('exits within the drain time plus a few seconds even while a fleet tick hangs', async () => {
    const rpcPort = (stalled.address() as AddressInfo).port;
    const proc = startProcess(process.execPath, ['--import', 'tsx', 'services/api/src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: tdb.url,
        API_PORT: '0',
        REDIS_PREFIX: testRedisPrefix('shutdown'),
        LOG_LEVEL: 'warn',
        API_DRAIN_SECS: '1',
        FLEET_TICK_MS: '200',
        KAMAILIO_RPC_URL: `http://127.0.0.1:${rpcPort}/RPC`,
      },
    });
    try {
      await waitFor(() => /api listening on [\d.]+:\d+/.test(proc.output()), { timeoutMs: 30_000 });
      const port = /api listening on [\d.]+:(\d+)/.exec(proc.output())![1];
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/ready`)).status === 200, { timeoutMs: 10_000 });
      await waitFor(() => sockets.size > 0, { what: 'fleet talking to the stalled Kamailio' });
      const t0 = Date.now();
      proc.child.kill('SIGTERM');
      const code = await Promise.race([proc.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 12_000))]);
      expect(code).not.toBe('still running');
      // 1 s drain + 5 s close budget + slack.
      expect(Date.now() - t0).toBeLessThan(9_000);
    } finally {
      await proc.stop();
    }
  }, 60_000);
});
