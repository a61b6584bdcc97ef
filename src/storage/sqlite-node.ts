// Adapts Node's built-in `node:sqlite` (no native addon to build) to Kysely's SqliteDatabase interface.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const toInput = (v: unknown): SQLInputValue => {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v as SQLInputValue;
};

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;

  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#stmt.all(...parameters.map(toInput));
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    const r = this.#stmt.run(...parameters.map(toInput));
    return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#stmt.iterate(...parameters.map(toInput)) as IterableIterator<unknown>;
  }
}

/** Prepared statements kept for reuse; Kysely sends the same few SQL texts over and over. */
const STATEMENT_CACHE = 512;

export function openNodeSqlite(path: string): SqliteDatabase {
  const db = new DatabaseSync(path);
  // 64 MiB of page cache (SQLite's default is 2 MiB), so the indexes written most stay in memory as the tables grow.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;');
  const cache = new Map<string, NodeSqliteStatement>();
  return {
    close: () => { cache.clear(); db.close(); },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-insert: Map order is least recently used first
      } else {
        stmt = new NodeSqliteStatement(db.prepare(sql));
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
