// Frozen once shipped: the recording-retention policy of a workspace (quality_setting) and the
// recordings it governs (quality_recording: when each was finished, and when the policy deleted it).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('quality_setting')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenancy_tenant.id'))
    // Days a recording is kept after it was made; null keeps recordings until deleted by hand.
    .addColumn('recording_retention_days', 'integer')
    .execute();

  await db.schema.createTable('quality_recording')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('recording_id', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addPrimaryKeyConstraint('quality_recording_pk', ['tenant_id', 'recording_id'])
    .execute();
  await db.schema.createIndex('quality_recording_due').on('quality_recording').columns(['tenant_id', 'deleted_at', 'recorded_at']).execute();
}
