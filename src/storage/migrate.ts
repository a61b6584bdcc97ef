// Runs the one set of migrations (both dialects) at start. Migrations are listed here in order.
import { sql } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { SqlDatabase } from './database.ts';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-sip-registrar.ts';
import * as m0003 from './migrations/0003-voice-phones.ts';
import * as m0004 from './migrations/0004-voice-trunks.ts';
import * as m0005 from './migrations/0005-calendar.ts';
import * as m0006 from './migrations/0006-crm.ts';
import * as m0007 from './migrations/0007-ivr.ts';
import * as m0008 from './migrations/0008-voice-numbers.ts';
import * as m0009 from './migrations/0009-routing.ts';
import * as m0010 from './migrations/0010-interactions.ts';
import * as m0011 from './migrations/0011-tickets.ts';
import * as m0012 from './migrations/0012-webhooks.ts';
import * as m0013 from './migrations/0013-analytics.ts';
import * as m0014 from './migrations/0014-desktop.ts';
import * as m0015 from './migrations/0015-admin.ts';
import * as m0016 from './migrations/0016-ticket-routing.ts';
import * as m0017 from './migrations/0017-analytics-customer-hash.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-sip-registrar': m0002,
  '0003-voice-phones': m0003,
  '0004-voice-trunks': m0004,
  '0005-calendar': m0005,
  '0006-crm': m0006,
  '0007-ivr': m0007,
  '0008-voice-numbers': m0008,
  '0009-routing': m0009,
  '0010-interactions': m0010,
  '0011-tickets': m0011,
  '0012-webhooks': m0012,
  '0013-analytics': m0013,
  '0014-desktop': m0014,
  '0015-admin': m0015,
  '0016-ticket-routing': m0016,
  '0017-analytics-customer-hash': m0017,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * `schema`: the PostgreSQL schema that holds the tables. On PostgreSQL it defaults to the
 * connection's current schema (the first of its search path): the migrator looks for its own
 * tables in that schema only, not in any schema of the database that happens to hold tables of
 * the same names.
 */
export function migrateToLatest(db: SqlDatabase, schema?: string, dialect?: 'sqlite' | 'postgres'): Promise<string[]> {
  return migrate(db, schema, dialect);
}

/** Runs the migrations up to and including `name` (tests of a migration over data stored before it). */
export function migrateUpTo(db: SqlDatabase, name: string, schema?: string, dialect?: 'sqlite' | 'postgres'): Promise<string[]> {
  if (!(name in MIGRATIONS)) throw new Error(`no migration named ${name}`);
  return migrate(db, schema, dialect, name);
}

async function migrate(db: SqlDatabase, schema?: string, dialect?: 'sqlite' | 'postgres', upTo?: string): Promise<string[]> {
  if (!schema && dialect === 'postgres') {
    schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  }
  const migrator = new Migrator({
    db, provider, migrationTableName: 'storage_migration', migrationLockTableName: 'storage_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
