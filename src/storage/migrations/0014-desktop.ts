// Frozen once shipped: the agent desktop's own state. Each user's chosen phone ("station") and
// auto-answer preference, and the log of contacts each agent was connected to (their history and
// the recordings they may hear).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('desktop_setting')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('station_phone_id', 'text')
    .addColumn('auto_answer', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('desktop_setting_pk', ['tenant_id', 'user_id'])
    .execute();

  await db.schema.createTable('desktop_contact')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('connected_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('desktop_contact_pk', ['tenant_id', 'user_id', 'interaction_id'])
    .execute();
  await db.schema.createIndex('desktop_contact_user_connected').on('desktop_contact').columns(['tenant_id', 'user_id', 'connected_at']).execute();
}
