// Frozen once shipped: contact-center analytics. Rollups of closed interactions per 15-minute UTC
// interval and per local day, by dimension (queue, agent, channel, disposition, DID); one row per
// closed interaction for first-contact resolution and idempotent writes; the agent state log and
// its rollups (time per state and reason code); survey scores; the workspace's KPI settings.
import type { Kysely } from 'kysely';

const MEASURES = [
  'contacts', 'offered', 'answered', 'answered_in_sl', 'abandoned', 'abandoned_in_sl', 'short_abandoned', 'short_abandoned_in_sl', 'overflowed',
  'other_ended', 'wait_answered_ms', 'wait_abandoned_ms', 'handled', 'talk_ms', 'hold_ms', 'wrap_ms', 'transferred', 'offers', 'offers_accepted',
  'offers_missed', 'fcr_eligible', 'fcr_resolved', 'csat_responses', 'csat_satisfied', 'csat_score_sum',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  let rollup = db.schema.createTable('analytics_rollup')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull());
  for (const m of MEASURES) rollup = rollup.addColumn(m, 'bigint', (c) => c.notNull().defaultTo(0));
  await rollup.addPrimaryKeyConstraint('analytics_rollup_pk', ['tenant_id', 'grain', 'dimension', 'period', 'key']).execute();

  await db.schema.createTable('analytics_state_rollup')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_state_rollup_pk', ['tenant_id', 'grain', 'period', 'agent_id', 'state', 'reason'])
    .execute();

  await db.schema.createTable('analytics_contact')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('arrived_at', 'text', (c) => c.notNull())
    .addColumn('customer_key', 'text')
    .addColumn('inbound', 'integer', (c) => c.notNull())
    .addColumn('fcr_eligible', 'integer', (c) => c.notNull())
    .addColumn('fcr_resolved', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('did', 'text')
    .addColumn('disposition', 'text')
    .addColumn('queue_id', 'text')
    .addColumn('queue_at', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('agent_at', 'text')
    .addColumn('csat_score', 'integer')
    .addPrimaryKeyConstraint('analytics_contact_pk', ['tenant_id', 'interaction_id'])
    .execute();
  await db.schema.createIndex('analytics_contact_customer').on('analytics_contact').columns(['tenant_id', 'customer_key', 'arrived_at']).execute();
  await db.schema.createIndex('analytics_contact_arrived').on('analytics_contact').columns(['tenant_id', 'arrived_at']).execute();

  await db.schema.createTable('analytics_agent_state')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('analytics_agent_state_agent').on('analytics_agent_state').columns(['tenant_id', 'agent_id', 'ended_at']).execute();
  await db.schema.createIndex('analytics_agent_state_started').on('analytics_agent_state').columns(['tenant_id', 'started_at']).execute();

  await db.schema.createTable('analytics_survey')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_survey_pk', ['tenant_id', 'interaction_id'])
    .execute();

  await db.schema.createTable('analytics_setting')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenancy_tenant.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
