import 'reflect-metadata';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import type { CodeFlow } from '@switchyard/ivr';
import { type EngineConfig, loadEngineConfig } from '../config/engine-config.ts';
import { type EngineRuntime, startEngineRuntime } from './engine-runtime.ts';

/** DI tokens (tsx emits no decorator metadata: every injection names its token). */
export const ENGINE_CONFIG = Symbol('ENGINE_CONFIG');
export const ENGINE_RUNTIME = Symbol('ENGINE_RUNTIME');

async function loadCodeFlows(spec: string): Promise<Readonly<Record<string, CodeFlow>>> {
  const mod = (await import(spec)) as { flows?: Readonly<Record<string, CodeFlow>> };
  if (!mod.flows) throw new Error(`ENGINE_CODE_FLOWS: module ${spec} has no "flows" export`);
  return mod.flows;
}

/** Closes the runtime with the Nest app (the SIGTERM drain runs before, in main.ts). Built by a factory: no parameter decorators. */
class EngineLifecycle implements OnApplicationShutdown {
  constructor(private readonly rt: EngineRuntime) {}
  async onApplicationShutdown(): Promise<void> {
    await this.rt.close();
  }
}

/**
 * Nest only wires: config → runtime (plain TypeScript, the hot path) → lifecycle.
 * Tests swap ENGINE_CONFIG with `useValue`.
 */
@Module({
  providers: [
    { provide: ENGINE_CONFIG, useFactory: (): EngineConfig => loadEngineConfig() },
    {
      provide: ENGINE_RUNTIME,
      inject: [ENGINE_CONFIG],
      useFactory: async (cfg: EngineConfig) => startEngineRuntime(cfg, { codeFlows: await loadCodeFlows(cfg.ENGINE_CODE_FLOWS) }),
    },
    { provide: EngineLifecycle, inject: [ENGINE_RUNTIME], useFactory: (rt: EngineRuntime) => new EngineLifecycle(rt) },
  ],
  exports: [ENGINE_RUNTIME],
})
export class EngineModule {}
