// Frozen: phone endpoints (SIP credentials for desk phones and softphones) and the SIP domains that
// name a tenant. Only digest HA1 values are stored (RFC 7616 §3.4.2), never a SIP password.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('voice_phone')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('ha1_md5', 'text', (c) => c.notNull())
    .addColumn('ha1_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('voice_phone_tenant_username', ['tenant_id', 'username'])
    .execute();

  await db.schema.createTable('voice_sip_domain')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
