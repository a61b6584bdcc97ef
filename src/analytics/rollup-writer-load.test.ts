// The bulk path against the live one, on a real database (every dialect): the same varied records
// (abandons short and long, overflows, holds, missed offers, transfers, repeats of the same
// customers inside and outside the FCR window, calls across midnight and New York's DST change,
// surveys answered before the contact is rolled up, a record not yet final) are rolled up one
// InteractionClosed at a time, by `apply` in batches (out of order, repeated, half known), and by
// `rebuild` from the raw records: the rollup and contact tables must be equal row for row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { ManualClock, MemoryEventBus, silentLogger } from '../kernel/index.ts';
import { InteractionStore, type Interaction, type InteractionEvents, type Segment } from '../interactions/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { DIMENSIONS } from './contact-facts.ts';
import { RollupWriter } from './rollup-writer.ts';
import { RollupStore } from './rollups.sql.ts';
import { settingsOf } from './settings.ts';
import { SettingsStore } from './settings.sql.ts';

const ZONE = 'America/New_York';
/** 2026-03-07 00:00 EST; clocks go forward on the 8th at 02:00. */
const START = Date.UTC(2026, 2, 7, 5);
const QUEUES = [{ id: 'q1', name: 'Sales', settings: { serviceLevelSeconds: 20 } }, { id: 'q2', name: 'Support', settings: { serviceLevelSeconds: 30 } }];
const COUNT = 240;

/** Seeded contacts over three local days; every scenario in turn, customers from a small pool so that many repeat. */
function records(): Interaction[] {
  const rng = xoroshiro128plus(7);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: Interaction[] = [];
  for (let n = 0; n < COUNT; n++) {
    const scenario = n % 10;
    const arrived = scenario === 9 ? START + int(0, 2) * 86_400_000 + 86_400_000 - 10_000 + (n % 3) * 1000 : START + Math.floor((n * 3 * 86_400_000) / COUNT) + int(0, 60_000);
    const pool = int(0, 39);
    const segments: Segment[] = [];
    const seg = (kind: Segment['kind'], from: number, to: number | null, p: Partial<Segment> = {}) => {
      segments.push({ seq: segments.length + 1, kind, agentId: null, queueId: null, startedAt: iso(from), endedAt: to === null ? null : iso(to), outcome: null, data: null, ...p });
    };
    const base: Interaction = {
      id: `c${String(n).padStart(3, '0')}`, channel: n % 17 === 0 ? 'chat' : 'voice', direction: n % 11 === 0 ? 'outbound' : 'inbound',
      customerAddress: pool === 39 ? null : `+1212555${String(pool).padStart(4, '0')}`, customerId: pool === 38 ? 'customer-38' : null,
      dialled: n % 4 === 0 ? '8001' : '8000', flowId: 'f1', language: 'en', queueId: null, agentId: null, arrivedAt: iso(arrived), ivrEnteredAt: iso(arrived),
      ivrLeftAt: iso(arrived + 5000), queuedAt: null, firstOfferedAt: null, answeredAt: null, endedAt: null, wrapUpEndedAt: null, outcome: null,
      endedBy: 'customer', offers: 0, transfers: 0, holds: 0, holdMs: 0, disposition: null, notes: null, recordingId: null, ivrPath: [], segments,
    };
    const q = arrived + 5000;
    seg('ivr', arrived, q, { outcome: scenario === 0 ? 'hangup' : 'queue' });
    const talk = (agentId: string, from: number, seconds: number, wrap: number, disposition: string | null) => {
      seg('talk', from, from + seconds * 1000, { agentId, outcome: 'ended-by-customer' });
      seg('wrap-up', from + seconds * 1000, from + (seconds + wrap) * 1000, { agentId, outcome: disposition });
      return from + seconds * 1000;
    };
    const answered = (p: Partial<Interaction>, end: number, wrapEnd: number | null): Interaction =>
      ({ ...base, queuedAt: iso(q), answeredAt: iso(q + 1000), endedAt: iso(end), wrapUpEndedAt: wrapEnd === null ? null : iso(wrapEnd), outcome: 'answered', ...p });
    switch (scenario) {
      case 0: out.push({ ...base, endedAt: iso(q), outcome: 'self-service', endedBy: 'system' }); break;
      case 1: {
        const wait = int(0, 4_999);
        seg('queue', q, q + wait, { queueId: 'q1', outcome: 'abandoned' });
        out.push({ ...base, queueId: 'q1', queuedAt: iso(q), endedAt: iso(q + wait), outcome: 'abandoned' });
        break;
      }
      case 2: {
        const wait = int(5_000, 80_000);
        seg('queue', q, q + wait, { queueId: 'q2', outcome: 'abandoned' });
        seg('offer', q + 2000, q + wait, { agentId: 'A', queueId: 'q2', outcome: 'withdrawn' });
        out.push({ ...base, queueId: 'q2', queuedAt: iso(q), endedAt: iso(q + wait), outcome: 'abandoned', offers: 1 });
        break;
      }
      case 3: {
        seg('queue', q, q + 120_000, { queueId: 'q1', outcome: 'overflow:voicemail' });
        seg('voicemail', q + 120_000, null, { data: { recordingId: `vm-${n}` } });
        out.push({ ...base, queueId: 'q1', queuedAt: iso(q), endedAt: iso(q + 150_000), outcome: 'voicemail' });
        break;
      }
      case 4: {
        const wait = int(10_000, 40_000);
        seg('queue', q, q + 60_000, { queueId: 'q1', outcome: 'overflow:q2' });
        seg('queue', q + 60_000, q + 60_000 + wait, { queueId: 'q2', outcome: 'answered' });
        seg('offer', q + 60_000 + wait - 3000, q + 60_000 + wait, { agentId: 'B', queueId: 'q2', outcome: 'accepted' });
        const end = talk('B', q + 60_000 + wait, int(30, 300), int(0, 30), 'support');
        out.push(answered({ queueId: 'q2', agentId: 'B', offers: 1, disposition: 'support', answeredAt: iso(q + 60_000 + wait) }, end, end + 30_000));
        break;
      }
      case 5: {
        const wait = int(0, 40_000);
        seg('queue', q, q + wait, { queueId: 'q1', outcome: 'answered' });
        seg('offer', q + wait - 1000, q + wait, { agentId: 'A', queueId: 'q1', outcome: 'accepted' });
        const end = talk('A', q + wait, int(60, 400), int(5, 60), n % 3 === 0 ? null : 'sale');
        seg('hold', q + wait + 20_000, q + wait + 20_000 + int(5, 30) * 1000, { agentId: 'A', outcome: 'resumed' });
        out.push(answered({ queueId: 'q1', agentId: 'A', offers: 1, holds: 1, disposition: n % 3 === 0 ? null : 'sale', answeredAt: iso(q + wait) }, end, end + 60_000));
        break;
      }
      case 6: {
        seg('queue', q, q + 30_000, { queueId: 'q2', outcome: 'answered' });
        seg('offer', q + 1000, q + 16_000, { agentId: 'A', queueId: 'q2', outcome: n % 4 === 2 ? 'rejected' : 'timeout' });
        seg('offer', q + 16_000, q + 30_000, { agentId: 'C', queueId: 'q2', outcome: 'accepted' });
        const end = talk('C', q + 30_000, int(20, 200), 10, 'billing');
        out.push(answered({ queueId: 'q2', agentId: 'C', offers: 2, disposition: 'billing', answeredAt: iso(q + 30_000) }, end, end + 10_000));
        break;
      }
      case 7: {
        seg('queue', q, q + 8000, { queueId: 'q1', outcome: 'answered' });
        seg('offer', q + 3000, q + 8000, { agentId: 'A', queueId: 'q1', outcome: 'accepted' });
        seg('talk', q + 8000, q + 68_000, { agentId: 'A', outcome: 'transferred' });
        seg('transfer', q + 68_000, q + 68_000, { agentId: 'A', outcome: 'agent' });
        seg('wrap-up', q + 68_000, q + 73_000, { agentId: 'A', outcome: 'transfer' });
        const end = talk('B', q + 68_000, int(10, 100), 20, 'sale');
        out.push(answered({ queueId: 'q1', agentId: 'B', offers: 1, transfers: 1, disposition: 'sale', answeredAt: iso(q + 8000) }, end, end + 20_000));
        break;
      }
      case 8: {
        // Answered, its wrap-up still running: not final, counted by no path.
        seg('queue', q, q + 4000, { queueId: 'q1', outcome: 'answered' });
        seg('talk', q + 4000, q + 40_000, { agentId: 'C', outcome: 'ended-by-customer' });
        seg('wrap-up', q + 40_000, null, { agentId: 'C' });
        out.push(answered({ queueId: 'q1', agentId: 'C', answeredAt: iso(q + 4000) }, q + 40_000, null));
        break;
      }
      case 9: {
        // Arrives just before local midnight, answered after it.
        seg('queue', q, q + 15_000, { queueId: 'q2', outcome: 'answered' });
        seg('offer', q + 10_000, q + 15_000, { agentId: 'C', queueId: 'q2', outcome: 'accepted' });
        const end = talk('C', q + 15_000, 90, 0, null);
        out.push(answered({ queueId: 'q2', agentId: 'C', offers: 1, answeredAt: iso(q + 15_000) }, end, end));
        break;
      }
    }
  }
  return out.sort((a, b) => (a.arrivedAt < b.arrivedAt ? -1 : a.arrivedAt > b.arrivedAt ? 1 : 0));
}

interface Side {
  storage: Storage;
  tenantId: string;
  writer: RollupWriter;
  store: RollupStore;
  interactions: InteractionStore;
  bus: MemoryEventBus<InteractionEvents>;
}

for (const dialect of testStorageTargets()) {
  describe(`bulk loads roll up as contacts closing one at a time do (${dialect})`, () => {
    const all = records();
    const final = all.filter((i) => i.endedAt && (!i.answeredAt || i.wrapUpEndedAt));
    const surveyed = [all[5]!, all[17]!, all[42]!, all[100]!, all[181]!, all.find((i) => !final.includes(i))!];
    const sides: Side[] = [];
    const [live, bulk, rebuilt] = [0, 1, 2];

    const open = async (): Promise<Side> => {
      const storage = await openTestStorage(dialect);
      const clock = new ManualClock(START + 5 * 86_400_000);
      const tenantId = (await new TenantStore(storage.db).create({ slug: 'ny', name: 'New York', timeZone: ZONE }, new Date(START))).id;
      const settings = new SettingsStore(storage.db);
      await settings.put(tenantId, settingsOf({ fcrWindowDays: 1, shortAbandonSeconds: 4 }, new Set(QUEUES.map((q) => q.id))), new Date(START).toISOString());
      const interactions = new InteractionStore(storage.db);
      const store = new RollupStore(storage.db, storage.dialect);
      const bus = new MemoryEventBus<InteractionEvents>((err) => { throw err; });
      const writer = new RollupWriter({
        store, settings, interactions, queues: { queues: async () => QUEUES }, timeZoneOf: async () => ZONE, bus: bus as never, clock, log: silentLogger,
      });
      await interactions.insertMany(tenantId, all);
      for (const [n, i] of surveyed.entries()) await writer.recordSurvey(tenantId, i.id, 1 + (n % 5));
      return { storage, tenantId, writer, store, interactions, bus };
    };

    /** Every rollup row and every stored contact, as sorted text. */
    const snapshot = async (s: Side) => {
      const scope = s.store.scope(s.tenantId);
      const rollups: string[] = [];
      for (const dimension of DIMENSIONS) {
        if (dimension === 'team') continue;
        for (const grain of ['15m', 'day'] as const) for (const r of await scope.rollups({ grain, dimension, from: '0', to: '9' })) rollups.push(JSON.stringify(r));
      }
      const contacts = (await scope.contactsArrived(0, START + 30 * 86_400_000, 100_000)).map((c) => JSON.stringify(c));
      return { rollups: rollups.sort(), contacts: contacts.sort() };
    };

    before(async () => {
      for (let k = 0; k < 3; k++) sides.push(await open());

      // Live: InteractionClosed for each final record, in the order they closed.
      const l = sides[live]!;
      const closing = [...final].sort((a, b) => ((a.wrapUpEndedAt ?? a.endedAt!) < (b.wrapUpEndedAt ?? b.endedAt!) ? -1 : 1));
      for (const i of closing) l.bus.publish('InteractionClosed', { tenantId: l.tenantId, interactionId: i.id, outcome: i.outcome!, at: i.wrapUpEndedAt ?? i.endedAt! });
      await l.writer.settled();

      // Bulk: batches of 25; the last first, the third before the second, the first again, one half known and half new.
      const b = sides[bulk]!;
      const batches: Interaction[][] = [];
      for (let k = 0; k < all.length; k += 25) batches.push(all.slice(k, k + 25));
      const added = (batch: readonly Interaction[]) => new Set(batch.filter((i) => final.includes(i))).size;
      const last = batches.pop()!;
      const [first, second, third, fourth, ...rest] = batches as [Interaction[], Interaction[], Interaction[], Interaction[], ...Interaction[][]];
      for (const batch of [last, first, third, second]) assert.equal(await b.writer.apply(b.tenantId, batch), added(batch));
      assert.equal(await b.writer.apply(b.tenantId, first), 0, 'a batch loaded twice adds nothing');
      assert.equal(await b.writer.apply(b.tenantId, [...third.slice(10), ...fourth, fourth[0]!]), added(fourth), 'only the new ones, once each');
      for (const batch of rest) assert.equal(await b.writer.apply(b.tenantId, batch), added(batch));

      // Rebuild: from the raw records alone.
      const r = sides[rebuilt]!;
      const result = await r.writer.rebuild(r.tenantId, '2026-03-07', '2026-03-10');
      assert.equal(result.interactions, final.length);

      // A survey answered after the contact was rolled up, on every side.
      const late = final.find((i) => i.outcome === 'answered' && !surveyed.includes(i))!;
      for (const s of sides) await s.writer.recordSurvey(s.tenantId, late.id, 4);
    });
    after(async () => { for (const s of sides) { s.writer.stop(); await s.storage.close(); } });

    test('the live rollups hold what the records make them hold: repeats taken back, surveys, every dimension', async () => {
      const { rollups, contacts } = await snapshot(sides[live]!);
      assert.equal(contacts.length, final.length);
      const days = rollups.map((t) => JSON.parse(t) as { grain: string; dimension: string; measures: Record<string, number> }).filter((r) => r.grain === 'day');
      const sum = (dimension: string, m: string) => days.filter((r) => r.dimension === dimension).reduce((s, r) => s + r.measures[m]!, 0);
      assert.equal(sum('channel', 'contacts'), final.length);
      assert.ok(sum('channel', 'fcrResolved') > 0 && sum('channel', 'fcrResolved') < sum('channel', 'fcrEligible'), 'some contacts were repeated, some stand');
      assert.equal(sum('channel', 'csatResponses'), surveyed.filter((i) => final.includes(i)).length + 1);
      for (const dimension of ['queue', 'agent', 'did', 'disposition']) assert.ok(sum(dimension, 'handled') > 0, dimension);
    });

    test('batches given to `apply` give the same rollup and contact rows as contacts closing one at a time', async () => {
      assert.deepEqual(await snapshot(sides[bulk]!), await snapshot(sides[live]!));
    });

    test('a rebuild from the raw records gives the same rows again, and so does one over the bulk-loaded rows', async () => {
      const expected = await snapshot(sides[live]!);
      assert.deepEqual(await snapshot(sides[rebuilt]!), expected);
      const b = sides[bulk]!;
      await b.writer.rebuild(b.tenantId, '2026-03-07', '2026-03-10');
      assert.deepEqual(await snapshot(b), expected);
    });

    test('a contact with no customer given again in a batch is left out (only the insert can tell it was added) and counted once', async () => {
      const s = await open();
      try {
        const unkeyed = final.filter((i) => !i.customerAddress && !i.customerId);
        assert.ok(unkeyed.length >= 2, 'the records hold contacts with no customer');
        const [x, y] = unkeyed as [Interaction, Interaction];
        assert.equal(await s.writer.apply(s.tenantId, [x]), 1);
        assert.equal(await s.writer.apply(s.tenantId, [x, y]), 1, 'only the new one');
        const scope = s.store.scope(s.tenantId);
        assert.deepEqual((await scope.contactsArrived(0, START + 30 * 86_400_000, 10)).map((c) => c.interactionId).sort(), [x.id, y.id].sort());
        const days = await scope.rollups({ grain: 'day', dimension: 'channel', from: '0', to: '9' });
        assert.equal(days.reduce((n, r) => n + r.measures.contacts, 0), 2, 'each contact counted once');
      } finally {
        s.writer.stop();
        await s.storage.close();
      }
    });
  });
}
