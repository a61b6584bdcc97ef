// A workspace's KPI settings (analytics_setting: one JSON document per tenant), tenant-scoped.
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import { DEFAULT_SETTINGS, type AnalyticsSettings } from './settings.ts';

interface SettingTables {
  analytics_setting: { tenant_id: string; settings: string; updated_at: string };
}

export class SettingsStore {
  readonly #db: Kysely<SettingTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<SettingTables>(db);
  }

  /** The stored settings, or the defaults. */
  async get(tenantId: string): Promise<AnalyticsSettings> {
    const r = await new TenantScope(this.#db, tenantId).selectFrom('analytics_setting').select('settings').executeTakeFirst();
    return r ? { ...DEFAULT_SETTINGS, ...(JSON.parse(r.settings) as Partial<AnalyticsSettings>) } : DEFAULT_SETTINGS;
  }

  async put(tenantId: string, settings: AnalyticsSettings, at: string): Promise<void> {
    const scope = new TenantScope(this.#db, tenantId);
    await scope.insertInto('analytics_setting', { settings: JSON.stringify(settings), updated_at: at })
      .onConflict((oc) => oc.column('tenant_id' as never).doUpdateSet({ settings: JSON.stringify(settings), updated_at: at } as never))
      .execute();
  }
}
