// Frozen once shipped. Never edit a shipped migration; add a new one.
// Outbound webhooks (subscriptions and the outbox of deliveries, which is the delivery queue) and the
// external customer lookup's configuration, one per tenant.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('webhooks_subscription')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('allow_private_network', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_subscription_tenant').on('webhooks_subscription').columns(['tenant_id', 'active']).execute();

  await db.schema.createTable('webhooks_delivery')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhooks_subscription.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_delivery_due').on('webhooks_delivery').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhooks_delivery_subscription').on('webhooks_delivery').columns(['tenant_id', 'subscription_id', 'created_at']).execute();
  await db.schema.createIndex('webhooks_delivery_customer').on('webhooks_delivery').columns(['tenant_id', 'customer_id']).execute();

  await db.schema.createTable('integrations_lookup')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenancy_tenant.id'))
    .addColumn('url_template', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('cache_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('not_found_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('allow_private_network', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
