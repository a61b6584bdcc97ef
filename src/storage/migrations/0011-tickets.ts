// Frozen once shipped. Never edit a shipped migration; add a new one.
// Tickets: per-tenant numbering, types (workflow, categories and custom fields as JSON text), SLA policies
// per type and priority, tickets with their SLA clocks (JSON) and the next due instant (indexed for the
// scheduler), comments, attachments (files under the data directory), watchers, history, SLA breaches
// and idempotency keys.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('tickets_tenant')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenancy_tenant.id'))
    .addColumn('next_number', 'integer', (c) => c.notNull())
    .addColumn('seeded_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('tickets_type')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tickets_type_tenant_key', ['tenant_id', 'key'])
    .execute();

  await db.schema.createTable('tickets_sla_policy')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('type_id', 'text', (c) => c.notNull().references('tickets_type.id').onDelete('cascade'))
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('calendar_id', 'text')
    .addColumn('first_response_minutes', 'integer')
    .addColumn('resolution_minutes', 'integer')
    .addColumn('warn_at_percent', 'integer')
    .addColumn('escalate_user_id', 'text')
    .addColumn('escalate_team_id', 'text')
    .addColumn('notify_supervisors', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tickets_sla_policy_pk', ['type_id', 'priority'])
    .execute();

  await db.schema.createTable('tickets_ticket')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull().references('tickets_type.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_category', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('interaction_ids', 'text', (c) => c.notNull())
    .addColumn('assignee_user_id', 'text')
    .addColumn('assignee_team_id', 'text')
    .addColumn('created_by_id', 'text')
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('first_responded_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('sla', 'text')
    .addColumn('sla_next_due_at', 'text')
    .addColumn('breached', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_ticket_number').unique().on('tickets_ticket').columns(['tenant_id', 'number']).execute();
  await db.schema.createIndex('tickets_ticket_status').on('tickets_ticket').columns(['tenant_id', 'status', 'number']).execute();
  await db.schema.createIndex('tickets_ticket_assignee').on('tickets_ticket').columns(['tenant_id', 'assignee_user_id', 'number']).execute();
  await db.schema.createIndex('tickets_ticket_customer').on('tickets_ticket').columns(['tenant_id', 'customer_id', 'number']).execute();
  await db.schema.createIndex('tickets_ticket_updated').on('tickets_ticket').columns(['tenant_id', 'updated_at']).execute();
  await db.schema.createIndex('tickets_ticket_type').on('tickets_ticket').columns(['tenant_id', 'type_id']).execute();
  await db.schema.createIndex('tickets_ticket_next_due').on('tickets_ticket').columns(['sla_next_due_at']).execute();

  await db.schema.createTable('tickets_comment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets_ticket.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_comment_ticket').unique().on('tickets_comment').columns(['ticket_id', 'seq']).execute();
  await db.schema.createIndex('tickets_comment_at').on('tickets_comment').columns(['tenant_id', 'ticket_id', 'at']).execute();

  await db.schema.createTable('tickets_attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets_ticket.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_id', 'text')
    .addColumn('uploaded_by_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_attachment_ticket').unique().on('tickets_attachment').columns(['ticket_id', 'seq']).execute();

  await db.schema.createTable('tickets_watcher')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets_ticket.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tickets_watcher_pk', ['ticket_id', 'user_id'])
    .execute();

  await db.schema.createTable('tickets_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets_ticket.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .execute();
  await db.schema.createIndex('tickets_history_ticket').unique().on('tickets_history').columns(['ticket_id', 'seq']).execute();
  await db.schema.createIndex('tickets_history_at').on('tickets_history').columns(['tenant_id', 'ticket_id', 'at']).execute();

  await db.schema.createTable('tickets_sla_breach')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets_ticket.id'))
    .addColumn('ticket_number', 'integer', (c) => c.notNull())
    .addColumn('type_id', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('target_minutes', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('assignee_user_id', 'text')
    .addColumn('assignee_team_id', 'text')
    .addColumn('escalation', 'text')
    .execute();
  await db.schema.createIndex('tickets_sla_breach_due').on('tickets_sla_breach').columns(['tenant_id', 'due_at', 'id']).execute();
  await db.schema.createIndex('tickets_sla_breach_ticket').unique().on('tickets_sla_breach').columns(['ticket_id', 'metric']).execute();

  await db.schema.createTable('tickets_idempotency')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('status', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tickets_idempotency_pk', ['tenant_id', 'key'])
    .execute();
  await db.schema.createIndex('tickets_idempotency_created').on('tickets_idempotency').columns(['tenant_id', 'created_at']).execute();
}
