// The tenant-scoped path every query on a tenant-owned table takes: each builder it hands out
// already filters on (or, for inserts, sets) tenant_id, so a domain cannot forget the scope.
import { sql, type DeleteQueryBuilder, type DeleteResult, type Insertable, type Kysely, type SelectQueryBuilder, type UpdateQueryBuilder, type UpdateResult } from 'kysely';

/** Tables of DB that carry a tenant_id column. */
export type TenantTable<DB> = { [K in keyof DB & string]: DB[K] extends { tenant_id: unknown } ? K : never }[keyof DB & string];

interface ScopedWhere {
  where(lhs: unknown, op: '=', rhs: string): unknown;
}

export class TenantScope<DB> {
  readonly tenantId: string;
  readonly db: Kysely<DB>;

  constructor(db: Kysely<DB>, tenantId: string) {
    if (!tenantId) throw new Error('TenantScope needs a tenant id');
    this.db = db;
    this.tenantId = tenantId;
  }

  // Kysely cannot type a builder over a generic table name, hence the narrow casts below.
  selectFrom<T extends TenantTable<DB>>(table: T): SelectQueryBuilder<DB, T, {}> {
    const qb = this.db.selectFrom(table as never) as unknown as ScopedWhere;
    return qb.where(sql.ref(`${table}.tenant_id`), '=', this.tenantId) as unknown as SelectQueryBuilder<DB, T, {}>;
  }

  updateTable<T extends TenantTable<DB>>(table: T): UpdateQueryBuilder<DB, T, T, UpdateResult> {
    const qb = this.db.updateTable(table as never) as unknown as ScopedWhere;
    return qb.where(sql.ref(`${table}.tenant_id`), '=', this.tenantId) as unknown as UpdateQueryBuilder<DB, T, T, UpdateResult>;
  }

  deleteFrom<T extends TenantTable<DB>>(table: T): DeleteQueryBuilder<DB, T, DeleteResult> {
    const qb = this.db.deleteFrom(table as never) as unknown as ScopedWhere;
    return qb.where(sql.ref(`${table}.tenant_id`), '=', this.tenantId) as unknown as DeleteQueryBuilder<DB, T, DeleteResult>;
  }

  /** Inserts rows with tenant_id forced to this scope's tenant. */
  insertInto<T extends TenantTable<DB>>(table: T, rows: Omit<Insertable<DB[T]>, 'tenant_id'> | Omit<Insertable<DB[T]>, 'tenant_id'>[]) {
    const list = Array.isArray(rows) ? rows : [rows];
    const values = list.map((r) => ({ ...r, tenant_id: this.tenantId }) as unknown as Insertable<DB[T]>);
    return this.db.insertInto(table as never).values(values as never);
  }

  /** Runs `fn` in a transaction with a scope bound to the transaction. */
  transaction<R>(fn: (scope: TenantScope<DB>) => Promise<R>): Promise<R> {
    return this.db.transaction().execute((trx) => fn(new TenantScope<DB>(trx, this.tenantId)));
  }
}
