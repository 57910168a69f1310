// npm run migrate | migrate:down [-- --all]
import { createDb, type Kysely, migrateDown, migrateToLatest, redactUrl } from '@switchyard/core';

const url = process.env.DATABASE_URL ?? 'postgres://switchyard:switchyard@127.0.0.1:5432/switchyard';
const cmd = process.argv[2] ?? 'up';
const db = createDb(url, { max: 1 }) as unknown as Kysely<unknown>;
try {
  const res = cmd === 'down' ? await migrateDown(db, process.argv.includes('--all')) : await migrateToLatest(db);
  const done = res.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  console.log(`[migrate] ${cmd} on ${redactUrl(url)}: ${done.length ? done.join(', ') : 'nothing to do'}`);
} catch (err) {
  console.error(`[migrate] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
