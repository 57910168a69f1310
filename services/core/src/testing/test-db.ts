import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';

export interface TestDatabase {
  url: string;
  name: string;
  db: Kysely<Database>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** The server the tests use (setup created the role with CREATEDB). */
export function testServerUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://switchyard:switchyard@127.0.0.1:5432/switchyard';
}

/**
 * A fresh, migrated database of its own for one test file, so test files run in
 * parallel without seeing each other's rows.
 */
export async function createTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const base = new URL(testServerUrl());
  const name = `sy_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = createDb(base.toString(), { max: 1 });
  try {
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  } finally {
    await admin.destroy();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  if (migrate) await migrateToLatest(db as Kysely<unknown>);
  return {
    url: url.toString(),
    name,
    db,
    async drop() {
      await db.destroy();
      const a = createDb(base.toString(), { max: 1 });
      try {
        // A child process's connection may still be closing; FORCE can then be refused
        // for a moment, so retry briefly before giving up.
        for (let attempt = 1; ; attempt++) {
          try {
            await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(a);
            break;
          } catch (err) {
            if (attempt >= 10) throw err;
            await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      } finally {
        await a.destroy();
      }
    },
  };
}
