// Records written in bulk on every dialect: read back whole (row and segments) by `get` and by the
// arrival-ordered pages of `arrivedBetween`, pages that split contacts arrived in the same
// millisecond; one transaction per call; another tenant sees none of them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import type { Interaction, Segment } from './interaction.ts';
import { InteractionStore } from './interaction-store.sql.ts';

const T0 = Date.UTC(2026, 2, 8, 6, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** Record n: arrivals two at a time in the same millisecond; every third one answered with a hold and a wrap-up. */
function record(n: number): Interaction {
  const t = Math.floor(n / 2) * 60;
  const answered = n % 3 === 0;
  const segments: Segment[] = [
    { seq: 1, kind: 'ivr', agentId: null, queueId: null, startedAt: at(t), endedAt: at(t + 5), outcome: 'queue', data: null },
    { seq: 2, kind: 'queue', agentId: null, queueId: 'q1', startedAt: at(t + 5), endedAt: at(t + 20), outcome: answered ? 'answered' : 'abandoned', data: null },
  ];
  if (answered) {
    segments.push(
      { seq: 3, kind: 'talk', agentId: 'ann', queueId: null, startedAt: at(t + 20), endedAt: at(t + 50), outcome: 'ended-by-customer', data: null },
      { seq: 4, kind: 'hold', agentId: 'ann', queueId: null, startedAt: at(t + 30), endedAt: at(t + 40), outcome: 'resumed', data: { reason: 'lookup' } },
      { seq: 5, kind: 'wrap-up', agentId: 'ann', queueId: null, startedAt: at(t + 50), endedAt: at(t + 55), outcome: 'sale', data: null },
    );
  }
  return {
    id: `r${String(n).padStart(3, '0')}`, channel: 'voice', direction: 'inbound', customerAddress: `+1212555${String(n % 7).padStart(4, '0')}`,
    customerId: n % 5 === 0 ? `cust-${n}` : null, dialled: '8000', flowId: 'f1', language: 'en', queueId: 'q1', agentId: answered ? 'ann' : null,
    arrivedAt: at(t), ivrEnteredAt: at(t), ivrLeftAt: at(t + 5), queuedAt: at(t + 5), firstOfferedAt: answered ? at(t + 15) : null,
    answeredAt: answered ? at(t + 20) : null, endedAt: at(answered ? t + 50 : t + 20), wrapUpEndedAt: answered ? at(t + 55) : null,
    outcome: answered ? 'answered' : 'abandoned', endedBy: 'customer', offers: answered ? 1 : 0, transfers: 0, holds: answered ? 1 : 0,
    holdMs: answered ? 10_000 : 0, disposition: answered ? 'sale' : null, notes: n === 4 ? 'called about "the bill", twice' : null,
    recordingId: answered ? `rec-${n}` : null, ivrPath: n % 2 === 0 ? [{ node: 'menu', input: '1' }] : [], segments,
  };
}

for (const dialect of testStorageTargets()) {
  describe(`interaction records in bulk (${dialect})`, () => {
    let storage: Storage;
    let store: InteractionStore;
    let tenantId: string;
    let otherId: string;
    const records = Array.from({ length: 150 }, (_, n) => record(n));

    before(async () => {
      storage = await openTestStorage(dialect);
      const tenants = new TenantStore(storage.db);
      tenantId = (await tenants.create({ slug: 'bulk', name: 'Bulk', timeZone: 'UTC' }, new Date(T0))).id;
      otherId = (await tenants.create({ slug: 'other', name: 'Other', timeZone: 'UTC' }, new Date(T0))).id;
      store = new InteractionStore(storage.db);
      await store.insertMany(tenantId, records);
    });
    after(async () => { await storage.close(); });

    test('each record reads back whole: every field, its segments in order with their data', async () => {
      for (const r of records) assert.deepEqual(await store.get(tenantId, r.id), r);
    });

    test('arrival-ordered pages: every record once, in order, also where a page ends between two arrivals of one millisecond', async () => {
      const read: Interaction[] = [];
      let after: { arrivedAt: string; id: string } | undefined;
      for (;;) {
        const page = await store.arrivedBetween(tenantId, { from: at(0), to: at(86_400), limit: 7, after });
        read.push(...page);
        if (page.length < 7) break;
        after = { arrivedAt: page[page.length - 1]!.arrivedAt, id: page[page.length - 1]!.id };
      }
      assert.deepEqual(read, records);
      const span = await store.arrivedBetween(tenantId, { from: at(60), to: at(180), limit: 100 });
      assert.deepEqual(span.map((r) => r.id), ['r002', 'r003', 'r004', 'r005'], '[from, to)');
    });

    test('another tenant sees none of them', async () => {
      assert.deepEqual(await store.arrivedBetween(otherId, { from: at(0), to: at(86_400), limit: 100 }), []);
      assert.equal(await store.exists(otherId, records[0]!.id), false);
    });

    test('a batch holding a record that exists writes nothing', async () => {
      const fresh = { ...record(500), id: 'r900' };
      await assert.rejects(store.insertMany(tenantId, [fresh, records[3]!]));
      assert.equal(await store.exists(tenantId, 'r900'), false);
      assert.equal((await store.arrivedBetween(tenantId, { from: at(0), to: at(86_400), limit: 1000 })).length, records.length);
    });
  });
}
