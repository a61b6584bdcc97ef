// Frozen once shipped: the record of every contact (one row per interaction, its timestamps and
// outcome) and its segments (IVR, queue, each offer, talk, hold, transfer, wrap-up), in UTC.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('interaction')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('customer_address', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('dialled', 'text')
    .addColumn('flow_id', 'text')
    .addColumn('language', 'text')
    .addColumn('queue_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('arrived_at', 'text', (c) => c.notNull())
    .addColumn('ivr_entered_at', 'text')
    .addColumn('ivr_left_at', 'text')
    .addColumn('queued_at', 'text')
    .addColumn('first_offered_at', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('wrap_up_ended_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('ended_by', 'text')
    .addColumn('offers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transfers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('holds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hold_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disposition', 'text')
    .addColumn('notes', 'text')
    .addColumn('recording_id', 'text')
    .addColumn('ivr_path', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('interaction_tenant_arrived').on('interaction').columns(['tenant_id', 'arrived_at']).execute();
  await db.schema.createIndex('interaction_tenant_agent').on('interaction').columns(['tenant_id', 'agent_id', 'arrived_at']).execute();
  await db.schema.createIndex('interaction_tenant_customer').on('interaction').columns(['tenant_id', 'customer_id']).execute();

  await db.schema.createTable('interaction_segment')
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interaction.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('queue_id', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('data', 'text')
    .addPrimaryKeyConstraint('interaction_segment_pk', ['interaction_id', 'seq'])
    .execute();
}
