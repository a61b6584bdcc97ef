// Frozen once shipped. Never edit a shipped migration; add a new one.
// Customers (crm): profiles, identities (one owner per kind + normalized value in a tenant), tags,
// notes, custom field definitions, settings, merges (what moved, for undo) and idempotency keys.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('crm_customer')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('name', 'text')
    .addColumn('company', 'text')
    .addColumn('language', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('search_name', 'text')
    .addColumn('search_company', 'text')
    .addColumn('name_key', 'text')
    .addColumn('consent_recording', 'integer')
    .addColumn('consent_recording_at', 'text')
    .addColumn('consent_marketing', 'integer')
    .addColumn('consent_marketing_at', 'text')
    .addColumn('legal_hold_reason', 'text')
    .addColumn('legal_hold_since', 'text')
    .addColumn('merged_into', 'text')
    .addColumn('merged_at', 'text')
    .addColumn('erased_at', 'text')
    .addColumn('erased_by', 'text')
    .addColumn('erase_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('crm_customer_created').on('crm_customer').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('crm_customer_updated').on('crm_customer').columns(['tenant_id', 'updated_at']).execute();
  await db.schema.createIndex('crm_customer_merged_into').on('crm_customer').columns(['tenant_id', 'merged_into']).execute();
  await db.schema.createIndex('crm_customer_name_key').on('crm_customer').columns(['tenant_id', 'name_key']).execute();

  await db.schema.createTable('crm_identity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('crm_customer.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('original', 'text', (c) => c.notNull())
    .addColumn('match_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('crm_identity_value').unique().on('crm_identity').columns(['tenant_id', 'kind', 'value']).execute();
  await db.schema.createIndex('crm_identity_customer').on('crm_identity').columns(['tenant_id', 'customer_id']).execute();
  await db.schema.createIndex('crm_identity_match').on('crm_identity').columns(['tenant_id', 'kind', 'match_key']).execute();

  await db.schema.createTable('crm_tag')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('crm_customer.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_tag_pk', ['customer_id', 'tag'])
    .execute();
  await db.schema.createIndex('crm_tag_tag').on('crm_tag').columns(['tenant_id', 'tag']).execute();

  await db.schema.createTable('crm_note')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('crm_customer.id'))
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('crm_note_customer').on('crm_note').columns(['tenant_id', 'customer_id', 'at']).execute();

  await db.schema.createTable('crm_field')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_field_pk', ['tenant_id', 'key'])
    .execute();

  await db.schema.createTable('crm_setting')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_setting_pk', ['tenant_id', 'key'])
    .execute();

  await db.schema.createTable('crm_merge')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('survivor_id', 'text', (c) => c.notNull().references('crm_customer.id'))
    .addColumn('merged_id', 'text', (c) => c.notNull().references('crm_customer.id'))
    .addColumn('moved', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('undone_at', 'text')
    .addColumn('undone_by', 'text')
    .execute();
  await db.schema.createIndex('crm_merge_merged').on('crm_merge').columns(['tenant_id', 'merged_id']).execute();

  await db.schema.createTable('crm_idempotency')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('status', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_idempotency_pk', ['tenant_id', 'key'])
    .execute();
  await db.schema.createIndex('crm_idempotency_created').on('crm_idempotency').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('crm_idempotency_customer').on('crm_idempotency').columns(['tenant_id', 'customer_id']).execute();
}
