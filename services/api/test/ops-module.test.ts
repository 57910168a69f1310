import { createMetricsRegistry } from '@switchyard/core';
import { DrainController, installGracefulShutdown, runReadinessChecks, startOpsServer } from '@switchyard/core/http';
import { describe, expect, it } from 'vitest';

describe('DrainController', () => {
  it('counts work, flips draining and its signal, and waits for idle or the timeout', async () => {
    const d = new DrainController();
    const a = d.track();
    const b = d.track();
    expect(d.inFlight).toBe(2);
    d.begin();
    expect(d.draining).toBe(true);
    expect(d.signal.aborted).toBe(true);
    expect(await d.waitIdle(20)).toBe(false);
    const idle = d.waitIdle(5_000);
    a();
    a(); // a release runs once
    expect(d.inFlight).toBe(1);
    b();
    expect(await idle).toBe(true);
  });
});

describe('readiness checks', () => {
  it('reports each dependency and bounds a hung one by the timeout', async () => {
    const r = await runReadinessChecks(
      [
        { name: 'ok', check: async () => {} },
        { name: 'down', check: async () => Promise.reject(new Error('ECONNREFUSED')) },
        { name: 'hung', check: () => new Promise<void>(() => {}) },
      ],
      false,
      50,
    );
    expect(r.ready).toBe(false);
    expect(r.checks).toEqual({ ok: { ok: true }, down: { ok: false, error: 'ECONNREFUSED' }, hung: { ok: false, error: 'timed out after 50 ms' } });
  });
});

describe('ops server and graceful shutdown', () => {
  it('serves /health, /ready, /metrics; on shutdown ready flips at once and close runs after the work ends', async () => {
    const drain = new DrainController();
    const ops = await startOpsServer({ registry: createMetricsRegistry('ops-test'), drain, port: 0 });
    const get = async (p: string) => (await fetch(`http://127.0.0.1:${ops.port}${p}`)).status;
    try {
      expect([await get('/health'), await get('/ready'), await get('/metrics'), await get('/other')]).toEqual([200, 200, 200, 404]);
      const release = drain.track();
      let closed = false;
      const shutdown = installGracefulShutdown({
        drain,
        drainTimeoutMs: 5_000,
        exit: false,
        signals: [],
        close: async () => {
          closed = true;
        },
      });
      const done = shutdown();
      expect(await get('/ready')).toBe(503);
      expect(await get('/health')).toBe(200);
      expect(closed).toBe(false);
      release();
      await done;
      expect(closed).toBe(true);
    } finally {
      await ops.close();
    }
  });
});
