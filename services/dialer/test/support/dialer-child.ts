// A dialer process for the multi-process tests: real Postgres, a switch stand-in of its own,
// and its call log appended to a JSONL file (one line per event, written synchronously so a
// kill -9 loses nothing that was logged).
import { appendFileSync } from 'node:fs';
import { createDb, createLogger, createRedis } from '@switchyard/core';
import { RedisRateLimiter } from '../../src/pacing/redis-rate-limiter.ts';
import { asDialerDb } from '../../src/db/dialer-schema.ts';
import { callLogAttemptLog } from '../../src/runner/calllog-attempt-log.ts';
import { DialerRunner } from '../../src/runner/dialer-runner.ts';
import { FakeSwitch } from './fake-switch.ts';

const env = process.env;
const db = createDb(env.DATABASE_URL!, { max: 4 });
const talk = Number(env.TALK_MS ?? 200);
const sw = new FakeSwitch(() => ({ result: 'answer', ringMs: 5 + Math.floor(Math.random() * 20), talkMs: Math.floor(talk / 2 + Math.random() * talk) }));
const redis = createRedis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const runner = new DialerRunner({
  sharedLimiter: new RedisRateLimiter(redis, env.REDIS_PREFIX!),
  dialerId: env.DIALER_ID!,
  db: asDialerDb(db),
  switch: sw,
  nodes: { activeNodes: async () => [{ name: 'node1', weight: 1 }] },
  logger: createLogger('dialer-child', 'warn'),
  attemptLog: callLogAttemptLog({ append: (e) => appendFileSync(env.LOG_FILE!, `${JSON.stringify({ ...e, dialer: env.DIALER_ID })}\n`) }),
});
await runner.start();
console.log('ready');
process.on('SIGTERM', () => {
  void runner
    .stop(3000)
    .then(() => db.destroy())
    .then(() => redis.disconnect())
    .then(() => process.exit(0));
});
