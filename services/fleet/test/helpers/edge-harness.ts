import { freeTcpPort, freeUdpPort } from '@switchyard/core/testing';
import { KamailioProcess, type KamailioRunOptions } from '../../src/index.ts';

/** Short timers so probing and failover happen within seconds in tests. */
export const TEST_DEFINES = {
  DS_PING_INTERVAL: 1,
  DS_PROBING_THRESHOLD: 2,
  FR_TIMER: 1000,
  LOG_LEVEL: 0,
  RELOAD_DELTA: 1,
};

export async function startEdge(dbUrl: string, extra: Partial<KamailioRunOptions> = {}): Promise<KamailioProcess> {
  return KamailioProcess.start({
    sipPort: await freeUdpPort(),
    rpcPort: await freeTcpPort(),
    dbUrl,
    shmMb: 128,
    children: 2,
    ...extra,
    defines: { ...TEST_DEFINES, ...(extra.defines ?? {}) },
  });
}

/** Trivial ESL health and call counts, set by the test (the engine implements these later). */
export class FakeEngine {
  readonly eslUp = new Set<string>();
  readonly calls = new Map<string, number>();
  isEslUp(name: string): boolean {
    return this.eslUp.has(name);
  }
  inFlightCalls(name: string): number {
    return this.calls.get(name) ?? 0;
  }
}
