import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@switchyard/core';
import { DrainController, pingCheck, startOpsServer } from '@switchyard/core/http';
import { sql } from 'kysely';
import { recorderConfigSchema } from './recorder-config.ts';
import { buildRecorder, RecorderModule } from './recorder-module.ts';

// Recorder process: `node --import tsx services/recorder/src/main.ts` (env: see recorder-config.ts).
const cfg = loadConfig(recorderConfigSchema);
const built = buildRecorder(cfg);
const app = await NestFactory.createApplicationContext(RecorderModule.forRoot(built), { logger: ['error', 'warn'] });

// /metrics, /health (200 while draining), /ready (503 while draining or Redis/Postgres down).
const drain = new DrainController();
const ops =
  cfg.RECORDER_METRICS_PORT > 0
    ? await startOpsServer({
        registry: built.resources.registry,
        drain,
        checks: [
          pingCheck('postgres', () => sql`select 1`.execute(built.resources.db)),
          pingCheck('redis', () => built.resources.redis[0]!.ping()),
        ],
        port: cfg.RECORDER_METRICS_PORT,
        host: cfg.RECORDER_METRICS_HOST,
      })
    : null;

// Drain on SIGTERM/SIGINT: the batch in hand is committed and acknowledged, then exit 0.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    drain.begin();
    void app
      .close()
      .then(() => ops?.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
}
console.log(JSON.stringify({ msg: 'recorder ready', consumer: cfg.RECORDER_CONSUMER, opsPort: ops?.port ?? null }));
