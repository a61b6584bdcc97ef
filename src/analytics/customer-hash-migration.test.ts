// Migration 0017 over contacts stored before it (every dialect): each keeps its customer, now found
// through the compact hash, within its own tenant only; erasing a customer unlinks their contacts;
// the stored resolution flag is gone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { migrateToLatest, openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { customerDigest } from './contact-facts.ts';
import { customerHash, RollupStore } from './rollups.sql.ts';

const AT = Date.UTC(2026, 2, 7, 15);
const iso = (ms: number) => new Date(ms).toISOString();

for (const dialect of testStorageTargets()) {
  describe(`contacts found by customer hash after migration 0017 (${dialect})`, () => {
    let storage: Storage;
    let a: string;
    let b: string;
    const x = customerDigest('+12125550001');
    const y = customerDigest('+12125550002');

    before(async () => {
      storage = await openTestStorage(dialect, process.env, '0016-ticket-routing');
      const tenants = new TenantStore(storage.db);
      a = (await tenants.create({ slug: 'a', name: 'A', timeZone: 'UTC' }, new Date(AT))).id;
      b = (await tenants.create({ slug: 'b', name: 'B', timeZone: 'UTC' }, new Date(AT))).id;
      const row = (tenant: string, id: string, key: string | null, at: number) => ({
        tenant_id: tenant, interaction_id: id, arrived_at: iso(at), customer_key: key, inbound: 1, fcr_eligible: key === null ? 0 : 1, fcr_resolved: 1,
        channel: 'voice', did: null, disposition: '', queue_id: null, queue_at: null, agent_id: null, agent_at: null, csat_score: null,
      });
      await storage.db.insertInto('analytics_contact').values([
        row(a, 'i1', x, AT), row(a, 'i2', x, AT + 3_600_000), row(a, 'i3', y, AT), row(a, 'i4', null, AT), row(b, 'i5', x, AT),
      ]).execute();
      await migrateToLatest(storage.db, storage.schema, storage.dialect);
    });
    after(async () => { await storage.close(); });

    test('each stored contact has the hash of its key; one without a customer has none', async () => {
      const rows = await storage.db.selectFrom('analytics_contact').select(['interaction_id', 'customer_key', 'customer_hash']).orderBy('interaction_id').execute();
      assert.deepEqual(rows.map((r) => [r.interaction_id, r.customer_hash === null ? null : Number(r.customer_hash)]),
        [['i1', customerHash(x)], ['i2', customerHash(x)], ['i3', customerHash(y)], ['i4', null], ['i5', customerHash(x)]]);
      assert.ok(customerHash(x) > 2 ** 40, 'the hash holds 48 bits of the digest');
    });

    test("lookups by customer find the tenant's own contacts of that customer only, in the span asked", async () => {
      const store = new RollupStore(storage.db, storage.dialect);
      const found = await store.scope(a).contactsOfCustomers([x], AT - 1, AT + 86_400_000);
      assert.deepEqual(found.map((c) => c.interactionId).sort(), ['i1', 'i2']);
      assert.deepEqual((await store.scope(a).contactsOfCustomers([x], AT + 1, AT + 86_400_000)).map((c) => c.interactionId), ['i2']);
      assert.deepEqual((await store.scope(b).contactsOfCustomers([x, y], AT - 1, AT + 1)).map((c) => c.interactionId), ['i5']);
    });

    test("an erased customer's contacts match nobody any more, in their tenant only", async () => {
      const store = new RollupStore(storage.db, storage.dialect);
      await store.scope(a).forgetCustomer(x);
      assert.deepEqual(await store.scope(a).contactsOfCustomers([x], AT - 1, AT + 86_400_000), []);
      assert.deepEqual((await store.scope(a).contactsOfCustomers([y], AT - 1, AT + 1)).map((c) => c.interactionId), ['i3']);
      assert.deepEqual((await store.scope(b).contactsOfCustomers([x], AT - 1, AT + 1)).map((c) => c.interactionId), ['i5']);
    });

    test('the stored resolution flag is gone', async () => {
      await assert.rejects(sql`select fcr_resolved from analytics_contact`.execute(storage.db));
    });
  });
}
