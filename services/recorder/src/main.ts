import 'reflect-metadata';
import http from 'node:http';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@switchyard/core';
import { recorderConfigSchema } from './recorder-config.ts';
import { buildRecorder, RecorderModule } from './recorder-module.ts';

// Recorder process: `tsx services/recorder/src/main.ts` (env: see recorder-config.ts).
const cfg = loadConfig(recorderConfigSchema);
const built = buildRecorder(cfg);
const app = await NestFactory.createApplicationContext(RecorderModule.forRoot(built), { logger: ['error', 'warn'] });

if (cfg.RECORDER_METRICS_PORT > 0) {
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      void built.resources.registry.metrics().then((body) => {
        res.writeHead(200, { 'content-type': built.resources.registry.contentType });
        res.end(body);
      });
    } else if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.listen(cfg.RECORDER_METRICS_PORT, '127.0.0.1');
  process.once('SIGTERM', () => server.close());
  process.once('SIGINT', () => server.close());
}
// Drain on SIGTERM/SIGINT: the batch in hand is committed and acknowledged, then exit 0.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
console.log(JSON.stringify({ msg: 'recorder ready', consumer: cfg.RECORDER_CONSUMER }));
