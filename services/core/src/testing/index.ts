export * from './ports.ts';
export * from '../managed-process.ts';
export * from './tcp-proxy.ts';
export * from './test-db.ts';
export * from './wait.ts';

/** A unique Redis key prefix for one test file. */
export function testRedisPrefix(tag = 't'): string {
  return `sytest:${tag}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
}
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}
