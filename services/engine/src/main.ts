import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ENGINE_RUNTIME, EngineModule } from './app/engine.module.ts';
import { startEngineOps } from './app/engine-ops.ts';
import type { EngineRuntime } from './app/engine-runtime.ts';

// `tsx services/engine/src/main.ts`: the call engine. Env: see config/engine-config.ts.
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(EngineModule, { logger: ['error', 'warn'] });
  const rt = app.get<EngineRuntime>(ENGINE_RUNTIME);
  const ops = await startEngineOps(rt);
  rt.log.info(
    { engineId: rt.cfg.ENGINE_ID, opsPort: ops.port, outboundPort: rt.outboundPort, nodes: rt.nodes.names() },
    'engine started',
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const drained = await rt.drainAndClose();
    await ops.close();
    await app.close();
    process.exit(drained ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  console.error('engine failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
