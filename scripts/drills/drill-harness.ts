import { createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase, testRedisPrefix } from '@switchyard/core/testing';
import { type Platform, startPlatform } from '../start/platform.ts';
import { freePlatformPorts } from '../start/platform-ports.ts';
import { placeSippCall, type TestCallResult, uniqueCaller } from '../start/test-call.ts';

/** One drill's figures. */
export interface DrillResult {
  name: string;
  pass: boolean;
  attempted: number;
  completed: number;
  failed: number;
  logged: number;
  note: string;
}

/**
 * A private platform for the drills whose Postgres, Redis and node ESL links all pass
 * through TCP proxies, so a drill can cut them (a stopped server, as the services see it).
 */
export class DrillHarness {
  tdb!: TestDatabase;
  p!: Platform;
  pgProxy!: TcpProxy;
  redisProxy!: TcpProxy;
  readonly eslProxies = new Map<string, TcpProxy>();
  edge = '';

  async start(): Promise<void> {
    this.tdb = await createTestDatabase();
    const pg = new URL(this.tdb.url);
    this.pgProxy = await startTcpProxy(Number(pg.port || 5432), pg.hostname);
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    this.redisProxy = await startTcpProxy(Number(redis.port || 6379), redis.hostname);
    pg.port = String(this.pgProxy.port);
    redis.port = String(this.redisProxy.port);
    const ports = await freePlatformPorts();
    this.edge = `127.0.0.1:${ports.kamailioSip}`;
    this.p = await startPlatform({
      ports,
      databaseUrl: pg.toString(),
      redisUrl: redis.toString(),
      redisPrefix: testRedisPrefix('drill'),
      dataDir: `/tmp/sy-drills-${process.pid}`,
      mediaScale: 4,
      logLevel: 'warn',
      logToFiles: true,
      // Legs whose hang-up nobody saw (engine killed) are closed by the reconciler within the drill.
      serviceEnv: { recorder: { RECORDER_LOST_AFTER_S: '20', RECORDER_RECONCILE_EVERY_S: '5' } },
      // Allowed callers are not Pike-limited; 127.0.0.2 stays unlisted for the flood drill.
      nodeEslPort: async (name, port) => {
        const proxy = await startTcpProxy(port);
        this.eslProxies.set(name, proxy);
        return proxy.port;
      },
      onStep: (m) => process.stdout.write(`  [platform] ${m}\n`),
    });
  }

  /** SIPp calls into the always-open menu (DTMF 1 → sales queue); resolves when SIPp is done. */
  traffic(calls: number, rate: number, o: { to?: string; sourceIp?: string; dtmf?: string[] } = {}): Promise<TestCallResult> {
    return placeSippCall({
      edge: this.edge,
      to: o.to ?? '1001',
      dtmf: o.dtmf ?? ['1', '0'],
      firstDigitMs: 1_200,
      digitGapMs: 800,
      holdMs: 2_000,
      calls,
      rate,
      caller: uniqueCaller(),
      sourceIp: o.sourceIp,
      extraBudgetS: 120,
    });
  }

  /**
   * Call-log rows of one traffic run (its caller): all, and those still open. Waits up to
   * `timeoutMs` for `expected` rows, all ended.
   */
  async rows(caller: string, since: Date, expected: number, timeoutMs = 60_000): Promise<{ rows: number; open: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.tdb.db
        .selectFrom('call_legs')
        .select(['leg_id', 'ended_at'])
        .where('caller', 'like', `%${caller}`)
        .where('started_at', '>=', new Date(since.getTime() - 60_000))
        .execute()
        .catch(() => []);
      const open = rows.filter((r) => r.ended_at === null).length;
      if ((rows.length >= expected && open === 0) || Date.now() > deadline) return { rows: rows.length, open };
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Ended rows of one traffic run. */
  async logged(caller: string, since: Date, expected: number, timeoutMs = 60_000): Promise<number> {
    const r = await this.rows(caller, since, expected, timeoutMs);
    return r.rows - r.open;
  }

  /** Runs traffic with `fault` injected after `faultAfterMs`; PASS when no attempted call lacks its row. */
  async underTraffic(
    name: string,
    o: { calls: number; rate: number; faultAfterMs: number; note: string },
    fault: () => Promise<void>,
  ): Promise<DrillResult> {
    const since = new Date();
    const run = this.traffic(o.calls, o.rate);
    await new Promise((r) => setTimeout(r, o.faultAfterMs));
    await fault();
    const res = await run;
    const attempted = res.created;
    const reachedNode = attempted - res.rejected503;
    const { rows, open } = await this.rows(res.caller, since, reachedNode, 90_000);
    // Lost = a call that reached a node with no call-log row; a 503 from the edge (no node
    // up) never created a leg. Rows left open past the reconciler's window also fail.
    const lost = reachedNode - rows;
    const note = `${o.note}; edge 503s ${res.rejected503}, lost rows ${Math.max(0, lost)}, rows still open ${open}`;
    return { name, pass: attempted === o.calls && lost <= 0 && open === 0, attempted, completed: res.successful, failed: res.failed, logged: rows - open, note };
  }

  /** A single call after a fault: the platform still answers and logs. */
  async healthy(): Promise<boolean> {
    const since = new Date();
    const r = await this.traffic(1, 1);
    return r.successful === 1 && (await this.logged(r.caller, since, 1, 30_000)) === 1;
  }

  async stop(): Promise<void> {
    await this.p?.stop();
    for (const p of this.eslProxies.values()) await p.close();
    await this.pgProxy?.close();
    await this.redisProxy?.close();
    await this.tdb?.drop();
  }
}

/** `PASS name  attempted N completed N failed N logged N  (note)`. */
export function formatResult(r: DrillResult): string {
  return `${r.pass ? 'PASS' : 'FAIL'} ${r.name.padEnd(28)} attempted ${r.attempted} completed ${r.completed} failed ${r.failed} logged ${r.logged}  ${r.note}`;
}
