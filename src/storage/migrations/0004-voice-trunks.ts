// Frozen: SIP trunks to carriers. The trunk password is what the carrier's digest challenge needs,
// so it is kept (never returned by the API, never logged).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('voice_trunk')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenancy_tenant.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('realm', 'text')
    .addColumn('username', 'text')
    .addColumn('password', 'text')
    .addColumn('caller_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('voice_trunk_tenant_name', ['tenant_id', 'name'])
    .execute();
}
