import { tables, type SqlDatabase } from '../storage/index.ts';
import { newId } from '../kernel/index.ts';

export interface TenancyTables {
  tenancy_tenant: { id: string; slug: string; name: string; time_zone: string; created_at: string };
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
  createdAt: string;
}

const toTenant = (r: TenancyTables['tenancy_tenant']): Tenant =>
  ({ id: r.id, slug: r.slug, name: r.name, timeZone: r.time_zone, createdAt: r.created_at });

/** Tenants themselves are the one table not scoped by tenant_id. */
export class TenantStore {
  readonly #db;

  constructor(db: SqlDatabase) {
    this.#db = tables<TenancyTables>(db);
  }

  async create(input: { slug: string; name: string; timeZone: string }, now: Date): Promise<Tenant> {
    const row = { id: newId(), slug: input.slug, name: input.name, time_zone: input.timeZone, created_at: now.toISOString() };
    await this.#db.insertInto('tenancy_tenant').values(row).execute();
    return toTenant(row);
  }

  async bySlug(slug: string): Promise<Tenant | undefined> {
    const r = await this.#db.selectFrom('tenancy_tenant').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? toTenant(r) : undefined;
  }

  async byId(id: string): Promise<Tenant | undefined> {
    const r = await this.#db.selectFrom('tenancy_tenant').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTenant(r) : undefined;
  }

  /** The tenant, when exactly one exists (a single-company install). */
  async only(): Promise<Tenant | undefined> {
    const rows = await this.#db.selectFrom('tenancy_tenant').selectAll().limit(2).execute();
    return rows.length === 1 ? toTenant(rows[0]!) : undefined;
  }

  async count(): Promise<number> {
    const r = await this.#db.selectFrom('tenancy_tenant').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
