// Frozen once shipped: the numbers (DIDs) callers dial, each owned by one workspace and answered
// by one IVR flow; what a workspace does with a number it does not have.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('voice_number')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    // Digits with an optional leading +, unique across workspaces: a carrier's call names no workspace.
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('flow_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('voice_number_tenant').on('voice_number').columns(['tenant_id']).execute();

  await db.schema.createTable('voice_setting')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenancy_tenant.id'))
    .addColumn('unknown_number_status', 'integer', (c) => c.notNull().defaultTo(404))
    .addColumn('unknown_number_announce', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
