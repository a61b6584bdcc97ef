// A fresh, migrated database for a benchmark: a SQLite file in a temporary directory, or a
// PostgreSQL schema of its own; `cleanup` closes it and removes the file or drops the schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openStorage, type Storage, type StorageOptions } from '../../src/storage/index.ts';

export interface BenchStorage {
  storage: Storage;
  cleanup(): Promise<void>;
}

async function onAdmin(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

/** `name` tells the file or schema apart (letters, digits and `_`); `onQuery` times every statement. */
export async function openBenchStorage(dialect: 'sqlite' | 'postgres', name: string, databaseUrl: string, onQuery?: StorageOptions['onQuery']): Promise<BenchStorage> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `sb-bench-${name}-`));
    const storage = await openStorage({ sqliteFile: join(dir, 'bench.db'), onQuery });
    await migrateToLatest(storage.db);
    return { storage, cleanup: async () => { await storage.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const schema = `bench_${name}_${process.pid}`;
  await onAdmin(databaseUrl, `CREATE SCHEMA ${schema}`);
  const storage = await openStorage({ databaseUrl, pgSchema: schema, onQuery });
  await migrateToLatest(storage.db, schema);
  return { storage, cleanup: async () => { await storage.close(); await onAdmin(databaseUrl, `DROP SCHEMA ${schema} CASCADE`); } };
}
