import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';

/** The repository's migrations/ folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../migrations', import.meta.url));

/** Loads every `migrations/*.ts` (name order) through a dynamic import. */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    const files = (await fs.readdir(this.dir)).filter((f) => /^\d+_.*\.ts$/.test(f)).sort();
    for (const f of files) {
      out[f.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(this.dir, f)).href)) as Migration;
    }
    return out;
  }
}

export function createMigrator(db: Kysely<unknown>, dir = MIGRATIONS_DIR): Migrator {
  return new Migrator({ db, provider: new FolderMigrationProvider(dir) });
}

function check(res: MigrationResultSet): MigrationResultSet {
  if (res.error) {
    const failed = res.results?.find((r) => r.status === 'Error');
    const err = res.error instanceof Error ? res.error : new Error(String(res.error));
    err.message = `migration ${failed?.migrationName ?? '?'} failed: ${err.message}`;
    throw err;
  }
  return res;
}

/** Applies every pending migration; throws naming the one that failed. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  return check(await createMigrator(db).migrateToLatest());
}

/** Reverts the newest migration, or all of them with `all`. */
export async function migrateDown(db: Kysely<unknown>, all = false): Promise<MigrationResultSet> {
  const migrator = createMigrator(db);
  if (!all) return check(await migrator.migrateDown());
  const { NO_MIGRATIONS } = await import('kysely');
  return check(await migrator.migrateTo(NO_MIGRATIONS));
}
