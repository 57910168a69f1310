import { defineConfig } from 'vitest/config';

// One run over every workspace. Tests talk to real Postgres/Redis/Kamailio/SIPp, so
// timeouts are generous; each test file isolates itself (own database, own key prefix,
// own loopback ports) so files can run in parallel.
export default defineConfig({
  test: {
    include: ['services/*/test/**/*.test.ts', 'ivr-flows/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
