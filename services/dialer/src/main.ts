import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@switchyard/core';
import { DrainController } from '@switchyard/core/http';
import { dialerConfigSchema } from './dialer-config.ts';
import { buildDialer, DialerModule } from './nest/dialer-module.ts';
import { startDialerOps } from './ops/dialer-ops.ts';

// Dialer process: `npx tsx services/dialer/src/main.ts` (env: see dialer-config.ts).
// Several may run at once (distinct DIALER_ID each): contacts are claimed with SKIP LOCKED.
const DRAIN_MS = 30_000;
const cfg = loadConfig(dialerConfigSchema);
const built = buildDialer(cfg);
const drain = new DrainController();
// The ops port first: a port already taken stops the process before it dials anything.
const ops =
  cfg.DIALER_OPS_PORT > 0
    ? await startDialerOps(built, drain, { port: cfg.DIALER_OPS_PORT, host: cfg.DIALER_OPS_HOST }).catch((err: unknown) => {
        console.error(`dialer: cannot listen on DIALER_OPS_PORT ${cfg.DIALER_OPS_HOST}:${cfg.DIALER_OPS_PORT}: ${err instanceof Error ? err.message : err}`);
        process.exit(1);
      })
    : null;
const app = await NestFactory.createApplicationContext(DialerModule.forRoot(built), { logger: ['error', 'warn'] });

// SIGTERM/SIGINT: /ready turns 503 at once (/health stays 200), no new originates, calls in
// flight finish (up to 30 s), then connections close and the process exits (0 drained, 1 cut short).
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    drain.begin();
    // Backstop: whatever hangs after the drain (a pool that never closes), the process goes.
    setTimeout(() => process.exit(1), DRAIN_MS + 10_000).unref();
    void (async () => {
      const drained = await built.runner.stop(DRAIN_MS);
      await app.close();
      await ops?.close();
      process.exit(drained ? 0 : 1);
    })().catch(() => process.exit(1));
  });
}
console.log(JSON.stringify({ msg: 'dialer ready', dialerId: cfg.DIALER_ID, opsPort: ops?.port ?? null }));
