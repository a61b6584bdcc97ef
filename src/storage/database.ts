// Kysely setup: SQLite (embedded default, a file under the data directory) or PostgreSQL (DATABASE_URL).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import { DomainError } from '../kernel/index.ts';
import { openNodeSqlite } from './sqlite-node.ts';

export type SqlDialectName = 'sqlite' | 'postgres';

/** The database handle passed to every domain's `*.sql.ts` adapters; each narrows it to its own tables with `tables<T>()`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SqlDatabase = Kysely<any>;

export interface Storage {
  readonly db: SqlDatabase;
  readonly dialect: SqlDialectName;
  /** PostgreSQL schema in use when not the default search path. */
  readonly schema?: string | undefined;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** postgres:// URL; when absent SQLite is used. */
  databaseUrl?: string | undefined;
  /** SQLite file path, or ':memory:'. Ignored for PostgreSQL. */
  sqliteFile?: string;
  /** Directory for the default SQLite file (`switchboard.db`). */
  dataDir?: string;
  /** PostgreSQL schema to use (search_path); tests use one schema per run. */
  pgSchema?: string;
  connectTimeoutMs?: number;
  /**
   * Told of every statement run (begin and commit included) and how long it took, ms; for
   * benchmarks. Never given parameter values; an error it throws is ignored (timing never fails a statement).
   */
  onQuery?: ((sql: string, ms: number) => void) | undefined;
}

/** Narrows the shared handle to a domain's own table types. */
export const tables = <T>(db: SqlDatabase): Kysely<T> => db as Kysely<T>;

/** Opens the database and checks that it answers; a database that is down fails fast with SB_STORAGE_UNAVAILABLE. */
export async function openStorage(opts: StorageOptions): Promise<Storage> {
  const timeout = opts.connectTimeoutMs ?? 5000;
  const onQuery = opts.onQuery;
  const log = onQuery ? (e: LogEvent) => {
    if (e.level !== 'query') return;
    try { onQuery(e.query.sql, e.queryDurationMillis); } catch { /* see StorageOptions.onQuery */ }
  } : undefined;
  let db: SqlDatabase;
  let dialect: SqlDialectName;
  if (opts.databaseUrl) {
    dialect = 'postgres';
    const poolConfig: pg.PoolConfig = {
      connectionString: opts.databaseUrl,
      connectionTimeoutMillis: timeout,
      max: 10,
    };
    if (opts.pgSchema) poolConfig.options = `-c search_path=${opts.pgSchema}`;
    const pool = new pg.Pool(poolConfig);
    pool.on('error', () => { /* idle client errors surface on the next query */ });
    db = new Kysely({ dialect: new PostgresDialect({ pool }), log });
  } else {
    dialect = 'sqlite';
    let file = opts.sqliteFile;
    if (!file) {
      const dir = opts.dataDir ?? './data';
      mkdirSync(dir, { recursive: true });
      file = join(dir, 'switchboard.db');
    }
    const path = file;
    db = new Kysely({ dialect: new SqliteDialect({ database: async () => openNodeSqlite(path) }), log });
  }
  const storage: Storage = {
    db,
    dialect,
    schema: dialect === 'postgres' ? opts.pgSchema : undefined,
    ping: async () => { await sql`select 1`.execute(db); },
    close: () => db.destroy(),
  };
  try {
    await withTimeout(storage.ping(), timeout);
  } catch (err) {
    await db.destroy().catch(() => {});
    throw new DomainError('SB_STORAGE_UNAVAILABLE', 503, `cannot open the ${dialect} database: ${(err as Error).message}`);
  }
  return storage;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}
