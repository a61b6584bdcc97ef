// The desktop service on real storage (every dialect): stations and auto-answer, what agents do now
// fed from a real bus, screen-pop views, the log of handled contacts behind history and notes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryEventBus, silentLogger } from '../kernel/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { SqlPhoneStore } from '../voice/index.ts';
import { InteractionStore } from '../interactions/index.ts';
import { RoutingEngine, RoutingStore } from '../routing/index.ts';
import { Desktop } from './desktop.ts';
import type { TrackedEvents } from './current-work.ts';

const START = Date.UTC(2026, 10, 22, 1, 0, 0); // 09:00 in Asia/Shanghai

for (const dialect of testStorageTargets()) {
  describe(`desktop (${dialect})`, () => {
    let storage: Storage;
    let clock: ManualClock;
    let bus: MemoryEventBus<TrackedEvents>;
    let desktop: Desktop;
    let interactions: InteractionStore;
    let routing: RoutingEngine;
    let phones: SqlPhoneStore;
    let tenantId: string;
    let otherTenant: string;
    let queueId: string;
    const iso = () => new Date(clock.now()).toISOString();

    const interaction = (id: string, tenant = tenantId, arrivedAt = iso()) => interactions.create(tenant, {
      id, channel: 'voice', direction: 'inbound', customer_address: '+8613800138000', customer_id: null, dialled: '8000', flow_id: null, language: 'cmn',
      queue_id: queueId, agent_id: null, arrived_at: arrivedAt, ivr_entered_at: null, ivr_left_at: null, queued_at: null, first_offered_at: null, answered_at: null,
      ended_at: null, wrap_up_ended_at: null, outcome: null, ended_by: null, disposition: null, notes: null, recording_id: null, ivr_path: '[{"node":"main","type":"menu","input":"2"}]',
      updated_at: arrivedAt,
    });

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(START);
      bus = new MemoryEventBus<TrackedEvents>();
      const tenants = new TenantStore(storage.db);
      tenantId = (await tenants.create({ slug: 'desk', name: 'Desk', timeZone: 'Asia/Shanghai' }, new Date(START))).id;
      otherTenant = (await tenants.create({ slug: 'other', name: 'Other', timeZone: 'UTC' }, new Date(START))).id;
      phones = new SqlPhoneStore(storage.db, clock);
      interactions = new InteractionStore(storage.db);
      routing = new RoutingEngine({ store: new RoutingStore(storage.db), bus: new MemoryEventBus(), clock, log: silentLogger });
      queueId = (await routing.saveQueue(tenantId, { name: 'Support', settings: { dispositions: ['Resolved', 'Escalated'], wrapUpSeconds: 45, offerTimeoutSeconds: 25 } })).id;
      desktop = new Desktop({
        db: storage.db, clock, log: silentLogger, bus,
        phonesOf: async (t, u) => (await phones.byUser(t, u)).map((p) => ({ id: p.id, username: p.username, displayName: p.displayName })),
        interactions, queue: (t, q) => routing.queue(t, q),
        timeZoneOf: async (t) => (await tenants.byId(t))?.timeZone ?? 'UTC',
      });
    });
    after(async () => {
      desktop.stop();
      routing.stop();
      await storage.close();
    });

    test('a station is one of the user\'s own phones; stationOf and autoAnswer answer what was chosen', async () => {
      const desk = await phones.create(tenantId, 'desk', { username: '2001', displayName: 'Desk phone', password: 'long enough secret', userId: 'u1' });
      const soft = await phones.create(tenantId, 'desk', { username: '2002', displayName: 'Softphone', password: 'long enough secret', userId: 'u1' });
      const someoneElses = await phones.create(tenantId, 'desk', { username: '2003', displayName: 'Not mine', password: 'long enough secret', userId: 'u2' });
      assert.deepEqual(await desktop.settings(tenantId, 'u1'), { stationPhoneId: null, autoAnswer: false });
      assert.equal(await desktop.stationOf(tenantId, 'u1'), undefined);

      assert.deepEqual(await desktop.saveSettings(tenantId, 'u1', { stationPhoneId: soft.id }), { stationPhoneId: soft.id, autoAnswer: false });
      assert.equal((await desktop.stationOf(tenantId, 'u1'))?.username, '2002');
      await desktop.saveSettings(tenantId, 'u1', { autoAnswer: true });
      assert.deepEqual(await desktop.settings(tenantId, 'u1'), { stationPhoneId: soft.id, autoAnswer: true }, 'one setting changes, the other stays');
      assert.equal(await desktop.autoAnswer(tenantId, 'u1'), true);
      assert.equal(await desktop.autoAnswer(tenantId, 'u2'), false);

      await assert.rejects(desktop.saveSettings(tenantId, 'u1', { stationPhoneId: someoneElses.id }), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      await assert.rejects(desktop.saveSettings(otherTenant, 'u1', { stationPhoneId: desk.id }), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      assert.equal((await desktop.stationOf(tenantId, 'u1'))?.id, soft.id, 'a refused change leaves the station');
      assert.equal(await desktop.stationOf(otherTenant, 'u1'), undefined);

      await phones.remove(tenantId, soft.id);
      assert.equal(await desktop.stationOf(tenantId, 'u1'), undefined, 'a deleted phone is no station');
      assert.equal((await desktop.settings(tenantId, 'u1')).stationPhoneId, null);
      await desktop.saveSettings(tenantId, 'u1', { stationPhoneId: null });
      assert.deepEqual(await desktop.settings(tenantId, 'u1'), { stationPhoneId: null, autoAnswer: true });
    });

    test('an offer and a call as the screen pop shows them: caller, IVR path, language, queue name, timeout, dispositions', async () => {
      await interaction('call-1');
      bus.publish('CallArrived', { tenantId, callId: 'call-1', direction: 'inbound', from: '13800138000', to: '8000', at: iso() });
      bus.publish('IvrLeft', { tenantId, callId: 'call-1', flowId: 'f', at: iso(), exit: 'queue', queueId, language: 'en', path: [{ node: 'language', type: 'menu', input: '1' }] });
      bus.publish('ContactQueued', { tenantId, contactId: 'call-1', queueId, channel: 'voice', priority: 0, kind: 'contact', at: iso() });
      bus.publish('OfferCreated', { tenantId, contactId: 'call-1', offerId: 'offer-1', agentId: 'u1', queueId, channel: 'voice', at: iso() });
      const offer = (await desktop.workView(tenantId, 'u1')).offer!;
      assert.equal(offer.offerId, 'offer-1');
      assert.equal(offer.caller, '13800138000', 'the facts of the live call, not the record');
      assert.equal(offer.language, 'en');
      assert.deepEqual(offer.ivrPath, [{ node: 'language', type: 'menu', input: '1', outcome: undefined }]);
      assert.equal(offer.queueName, 'Support');
      assert.equal(offer.timeoutSeconds, 25);

      clock.advance(3000);
      bus.publish('CallConnected', { tenantId, callId: 'call-1', agentId: 'u1', at: iso() });
      bus.publish('OfferAccepted', { tenantId, contactId: 'call-1', offerId: 'offer-1', agentId: 'u1', queueId, at: iso() });
      const work = await desktop.workView(tenantId, 'u1');
      assert.equal(work.offer, null);
      assert.equal(work.call?.callId, 'call-1');
      assert.equal(work.call?.queueName, 'Support');
      assert.equal(await desktop.agentOfCall(tenantId, 'call-1'), 'u1');

      bus.publish('CallEnded', { tenantId, callId: 'call-1', endedBy: 'customer', reason: 'bye', at: iso() });
      bus.publish('WrapUpStarted', { tenantId, contactId: 'call-1', agentId: 'u1', at: iso() });
      const wrapUp = (await desktop.workView(tenantId, 'u1')).wrapUp!;
      assert.deepEqual(wrapUp.dispositions, ['Resolved', 'Escalated']);
      assert.equal(wrapUp.wrapUpSeconds, 45);
      bus.publish('InteractionClosed', { tenantId, interactionId: 'call-1', outcome: 'answered', at: iso() });
      const fromRecord = await desktop.wrapUpView(tenantId, { contactId: 'call-1', queueId: null, startedAt: iso() });
      assert.equal(fromRecord.caller, '+8613800138000', 'once the live facts are gone, the interaction record answers');
      assert.deepEqual(fromRecord.ivrPath, [{ node: 'main', type: 'menu', input: '2' }]);
      assert.equal(fromRecord.queueName, 'Support');
    });

    test('every connected contact is logged for its agent: notes only on one\'s own, history of the local day', async () => {
      await desktop.settled();
      assert.equal(await desktop.handled(tenantId, 'u1', 'call-1'), true);
      assert.equal(await desktop.handled(tenantId, 'u2', 'call-1'), false);
      const noted = await desktop.saveNotes(tenantId, 'u1', 'call-1', 'asked about order 42');
      assert.equal(noted.notes, 'asked about order 42');
      assert.equal((await interactions.get(tenantId, 'call-1')).notes, 'asked about order 42');
      await assert.rejects(desktop.saveNotes(tenantId, 'u2', 'call-1', 'not mine'), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      await assert.rejects(desktop.saveNotes(otherTenant, 'u1', 'call-1', 'other tenant'), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      assert.equal((await interactions.get(tenantId, 'call-1')).notes, 'asked about order 42');

      // Yesterday (Shanghai) at 23:30 is not today; today's 00:10 is.
      await interaction('call-yesterday', tenantId, '2026-11-21T15:30:00.000Z');
      bus.publish('CallConnected', { tenantId, callId: 'call-yesterday', agentId: 'u1', at: '2026-11-21T15:30:00.000Z' });
      await interaction('call-early', tenantId, '2026-11-21T16:10:00.000Z');
      bus.publish('CallConnected', { tenantId, callId: 'call-early', agentId: 'u1', at: '2026-11-21T16:10:00.000Z' });
      // A call the agent transferred on to someone else stays in their history, with their own disposition.
      await interaction('call-2');
      bus.publish('CallConnected', { tenantId, callId: 'call-2', agentId: 'u1', at: iso() });
      bus.publish('CallTransferred', { tenantId, callId: 'call-2', fromAgentId: 'u1', target: { kind: 'agent', id: 'u2' }, mode: 'blind', at: iso() });
      bus.publish('CallConnected', { tenantId, callId: 'call-2', agentId: 'u2', at: iso() });
      await interactions.update(tenantId, 'call-2', { agent_id: 'u2', disposition: 'Resolved' });
      await interactions.openSegment(tenantId, { interactionId: 'call-2', kind: 'talk', agentId: 'u1', at: iso() });
      clock.advance(65_000);
      await interactions.closeSegment(tenantId, 'call-2', 'talk', iso(), 'transferred', 'u1');
      await interactions.openSegment(tenantId, { interactionId: 'call-2', kind: 'wrap-up', agentId: 'u1', at: iso() });
      await interactions.closeSegment(tenantId, 'call-2', 'wrap-up', iso(), 'Escalated', 'u1');
      await desktop.settled();

      const mine = await desktop.history(tenantId, 'u1');
      assert.deepEqual(mine.map((h) => h.interactionId), ['call-2', 'call-1', 'call-early']);
      const transferred = mine[0]!;
      assert.equal(transferred.handledLast, false);
      assert.equal(transferred.disposition, 'Escalated', 'the agent\'s own wrap-up, not the last agent\'s');
      assert.equal(transferred.talkMs, 65_000, 'the agent\'s own talk time');
      assert.equal(mine[1]!.notes, 'asked about order 42');
      assert.equal(mine[1]!.queueName, 'Support');
      assert.deepEqual((await desktop.history(tenantId, 'u2')).map((h) => h.interactionId), ['call-2']);
      assert.deepEqual(await desktop.history(otherTenant, 'u1'), []);
    });
  });
}
