// The customer lookup's configuration in SQLite/PostgreSQL (table integrations_lookup, one row per
// tenant), tenant-scoped. Header values (API keys) are read only to send the request.
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';

interface IntegrationsTables {
  integrations_lookup: {
    tenant_id: string; url_template: string; headers: string; timeout_ms: number; cache_ttl_seconds: number; not_found_ttl_seconds: number;
    allow_private_network: number; updated_at: string;
  };
}
type Row = IntegrationsTables['integrations_lookup'];

export interface LookupConfig {
  urlTemplate: string;
  /** Header name -> value; the values are secrets. */
  headers: Record<string, string>;
  timeoutMs: number;
  cacheTtlSeconds: number;
  notFoundTtlSeconds: number;
  allowPrivateNetwork: boolean;
  updatedAt: string;
}

const toConfig = (r: Row): LookupConfig => ({
  urlTemplate: r.url_template, headers: JSON.parse(r.headers) as Record<string, string>, timeoutMs: Number(r.timeout_ms),
  cacheTtlSeconds: Number(r.cache_ttl_seconds), notFoundTtlSeconds: Number(r.not_found_ttl_seconds),
  allowPrivateNetwork: Number(r.allow_private_network) === 1, updatedAt: r.updated_at,
});

export class LookupConfigStore {
  readonly #db: Kysely<IntegrationsTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<IntegrationsTables>(db);
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  async get(tenantId: string): Promise<LookupConfig | undefined> {
    const row = await this.#scope(tenantId).selectFrom('integrations_lookup').selectAll().executeTakeFirst();
    return row ? toConfig(row) : undefined;
  }

  async save(tenantId: string, c: LookupConfig): Promise<void> {
    const values = {
      url_template: c.urlTemplate, headers: JSON.stringify(c.headers), timeout_ms: c.timeoutMs, cache_ttl_seconds: c.cacheTtlSeconds,
      not_found_ttl_seconds: c.notFoundTtlSeconds, allow_private_network: c.allowPrivateNetwork ? 1 : 0, updated_at: c.updatedAt,
    };
    const scope = this.#scope(tenantId);
    await scope.transaction(async (s) => {
      const r = await s.updateTable('integrations_lookup').set(values).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) await s.insertInto('integrations_lookup', values).execute();
    });
  }

  async remove(tenantId: string): Promise<boolean> {
    const r = await this.#scope(tenantId).deleteFrom('integrations_lookup').executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
