// Storage for tests: SQLite always, PostgreSQL whenever TEST_DATABASE_URL is set (CI always sets it).
// Each PostgreSQL test database is a fresh schema, dropped on close.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStorage, type SqlDialectName, type Storage } from './database.ts';
import { migrateToLatest, migrateUpTo } from './migrate.ts';

export const testStorageTargets = (env: Record<string, string | undefined> = process.env): SqlDialectName[] =>
  env['TEST_DATABASE_URL'] ? ['sqlite', 'postgres'] : ['sqlite'];

/** `upTo`: migrate only up to and including that migration (the rest with `migrateToLatest` later). */
export async function openTestStorage(dialect: SqlDialectName, env: Record<string, string | undefined> = process.env, upTo?: string): Promise<Storage> {
  if (dialect === 'sqlite') {
    const storage = await openStorage({ sqliteFile: ':memory:' });
    await (upTo === undefined ? migrateToLatest(storage.db) : migrateUpTo(storage.db, upTo));
    return storage;
  }
  const url = env['TEST_DATABASE_URL'];
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const storage = await openStorage({ databaseUrl: url, pgSchema: schema });
  await (upTo === undefined ? migrateToLatest(storage.db, schema) : migrateUpTo(storage.db, upTo, schema));
  return {
    ...storage,
    close: async () => {
      await storage.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}
