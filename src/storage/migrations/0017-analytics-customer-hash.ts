// Frozen once shipped: contacts are found by customer through a compact key. analytics_contact gains
// customer_hash, the first 48 bits of the customer digest (customer_key) as an integer, and the index
// on (tenant_id, customer_key, arrived_at) gives way to one on (customer_hash, arrived_at): under half
// its entry size, so adding a contact touches far fewer index pages. Lookups still compare the whole
// key and the tenant on the row. fcr_resolved goes: whether a contact is resolved is worked out from
// the contacts stored (a later inbound one of the same customer within the window), so adding a
// contact no longer updates the earlier ones it repeats.
import { sql, type Kysely } from 'kysely';

/** The first 48 bits of a base64url digest (as the key held then), big-endian. */
const hashOf = (key: string): number => {
  const b = Buffer.from(key.slice(0, 8), 'base64url');
  return b.length === 0 ? 0 : b.readUIntBE(0, Math.min(6, b.length));
};

/** Contacts per page: three parameters each, well inside SQLite's limit. */
const PAGE = 500;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('analytics_contact').addColumn('customer_hash', 'bigint').execute();
  let after: { tenant_id: string; interaction_id: string } | undefined;
  for (;;) {
    let q = db.selectFrom('analytics_contact').select(['tenant_id', 'interaction_id', 'customer_key']).where('customer_key', 'is not', null);
    if (after) {
      const a = after;
      q = q.where((eb) => eb.or([eb('tenant_id', '>', a.tenant_id), eb.and([eb('tenant_id', '=', a.tenant_id), eb('interaction_id', '>', a.interaction_id)])]));
    }
    const rows = await q.orderBy('tenant_id').orderBy('interaction_id').limit(PAGE).execute();
    if (rows.length === 0) break;
    // One statement per tenant of the page: customer_hash = CASE interaction_id WHEN … THEN … END.
    const byTenant = new Map<string, { interaction_id: string; customer_key: string }[]>();
    for (const r of rows) {
      const list = byTenant.get(r.tenant_id);
      if (list) list.push(r);
      else byTenant.set(r.tenant_id, [r]);
    }
    for (const [tenant, list] of byTenant) {
      const cases = sql.join(list.map((r) => sql`when ${r.interaction_id} then cast(${hashOf(r.customer_key)} as bigint)`), sql` `);
      await db.updateTable('analytics_contact').set({ customer_hash: sql`case interaction_id ${cases} end` })
        .where('tenant_id', '=', tenant).where('interaction_id', 'in', list.map((r) => r.interaction_id)).execute();
    }
    after = rows[rows.length - 1];
  }
  await db.schema.dropIndex('analytics_contact_customer').execute();
  await db.schema.alterTable('analytics_contact').dropColumn('fcr_resolved').execute();
  await db.schema.createIndex('analytics_contact_customer_hash').on('analytics_contact').columns(['customer_hash', 'arrived_at']).execute();
}
