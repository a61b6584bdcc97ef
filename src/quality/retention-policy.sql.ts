// A workspace's recording-retention policy (quality_setting): how many days recordings are kept.
// Tenant-scoped; every change is audited.
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../audit/index.ts';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import { checkRetentionDays, type RetentionDays } from './retention.ts';

export interface QualitySettingTables {
  quality_setting: { tenant_id: string; recording_retention_days: number | null };
}

export interface RetentionActor { userId: string | null; name: string; ip: string | null }

export interface RetentionPolicyDeps {
  db: SqlDatabase;
  audit: { append(rec: AuditRecord): Promise<void> };
}

export class RetentionPolicy {
  readonly #db: Kysely<QualitySettingTables>;
  readonly #audit: RetentionPolicyDeps['audit'];

  constructor(deps: RetentionPolicyDeps) {
    this.#db = tables<QualitySettingTables>(deps.db);
    this.#audit = deps.audit;
  }

  #scope(tenantId: string) {
    return new TenantScope(this.#db, tenantId);
  }

  /** Days recordings are kept; null (also for a workspace that never set one) keeps them. */
  async days(tenantId: string): Promise<RetentionDays> {
    const row = await this.#scope(tenantId).selectFrom('quality_setting').select('recording_retention_days').executeTakeFirst();
    return row?.recording_retention_days == null ? null : Number(row.recording_retention_days);
  }

  /** Throws SB_VALIDATION (field `days`) for a value outside 1..MAX_RETENTION_DAYS that is not null. */
  async setDays(tenantId: string, input: unknown, actor?: RetentionActor): Promise<RetentionDays> {
    const days = checkRetentionDays(input);
    const previous = await this.days(tenantId);
    const s = this.#scope(tenantId);
    const r = await s.updateTable('quality_setting').set({ recording_retention_days: days }).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) await s.insertInto('quality_setting', { recording_retention_days: days }).execute();
    await this.#audit.append({
      tenantId, action: 'quality.retention.updated', targetType: 'quality_setting', targetId: tenantId, details: { days, previousDays: previous },
      actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
    return days;
  }

  /**
   * Every workspace that keeps recordings for a limited time. The purge job's one read across
   * workspaces: it learns which tenants to visit, then works inside each through TenantScope.
   */
  async limited(): Promise<{ tenantId: string; days: number }[]> {
    const rows = await this.#db.selectFrom('quality_setting').select(['tenant_id', 'recording_retention_days'])
      .where('recording_retention_days', 'is not', null).orderBy('tenant_id').execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, days: Number(r.recording_retention_days) }));
  }
}
