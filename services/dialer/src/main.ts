import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@switchyard/core';
import { dialerConfigSchema } from './dialer-config.ts';
import { buildDialer, DialerModule } from './nest/dialer-module.ts';

// Dialer process: `npx tsx services/dialer/src/main.ts` (env: see dialer-config.ts).
// Several may run at once (distinct DIALER_ID each): contacts are claimed with SKIP LOCKED.
const cfg = loadConfig(dialerConfigSchema);
const app = await NestFactory.createApplicationContext(DialerModule.forRoot(buildDialer(cfg)), { logger: ['error', 'warn'] });

// SIGTERM/SIGINT: no new originates, calls in flight finish (up to 30 s), then exit 0.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
