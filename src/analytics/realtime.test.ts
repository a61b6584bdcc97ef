// The wallboard on a ManualClock, driven by the real routing engine (offers, states, wrap-up
// timers), the real interaction recorder and the rollups on a real database: live figures after a
// sequence of events, WallboardChanged at most once per queue per 250 ms, the same figures after a
// restart, and a fresh day at local midnight.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryEventBus, silentLogger } from '../kernel/index.ts';
import { InteractionRecorder, InteractionStore } from '../interactions/index.ts';
import { RoutingEngine, RoutingStore, type ChannelAdapter } from '../routing/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { Analytics } from './analytics.ts';
import { WALLBOARD_COALESCE_MS } from './realtime.ts';

const ZONE = 'Asia/Shanghai';

for (const dialect of testStorageTargets()) {
  describe(`wallboard (${dialect})`, () => {
    let storage: Storage;
    let clock: ManualClock;
    let bus: MemoryEventBus<never>;
    let routing: RoutingEngine;
    let recorder: InteractionRecorder;
    let interactions: InteractionStore;
    let analytics: Analytics;
    let tenantId: string;
    let q1: string;
    const offers: { offerId: string; contactId: string; agentId: string }[] = [];
    const changes: { queueId: string; at: number }[] = [];
    const channel: ChannelAdapter = { offer: (o) => { offers.push(o); }, withdraw: () => {}, overflow: () => {}, alive: () => true };
    const publish = (name: string, p: Record<string, unknown>) => bus.publish(name as never, { tenantId, at: new Date(clock.now()).toISOString(), ...p } as never);
    const build = () => new Analytics({
      db: storage.db, dialect: storage.dialect, interactions, acd: routing, bus: bus as never, clock, log: silentLogger, timeZoneOf: async () => ZONE,
      directory: { listUsers: async () => [{ id: 'A', displayName: 'Ann' }], listTeams: async () => [] },
    });
    const settle = async () => {
      await Promise.resolve();
      await routing.flushed();
      await recorder.settled();
      await analytics.settled();
    };
    const arrive = async (id: string) => {
      publish('CallArrived', { callId: id, direction: 'inbound', from: `+8613800000${id}`, to: '8000' });
      await routing.enqueue(tenantId, { id, queueId: q1, priority: 0, requirements: [], kind: 'contact', data: {} });
      await settle();
    };
    const board = async () => (await analytics.wallboard.wallboard(tenantId)).queues.find((q) => q.queueId === q1)!;

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(Date.UTC(2026, 2, 2, 1, 0, 0));
      bus = new MemoryEventBus<never>((err) => { throw err; });
      bus.subscribe('WallboardChanged' as never, (p: { queueId: string }) => changes.push({ queueId: p.queueId, at: clock.now() }));
      tenantId = (await new TenantStore(storage.db).create({ slug: 'sh', name: 'Shanghai', timeZone: ZONE }, new Date(clock.now()))).id;
      interactions = new InteractionStore(storage.db);
      recorder = new InteractionRecorder({ store: interactions, bus: bus as never, log: silentLogger });
      routing = new RoutingEngine({ store: new RoutingStore(storage.db), bus: bus as never, clock, log: silentLogger });
      routing.registerChannel('voice', channel);
      q1 = (await routing.saveQueue(tenantId, { name: 'Sales', settings: { serviceLevelSeconds: 20, wrapUpSeconds: 10 } })).id;
      analytics = build();
    });
    after(async () => { analytics.stop(); routing.stop(); recorder.stop(); await storage.close(); });

    test('an answer, a caller left waiting, an abandon after T, a wrap-up: the figures follow each step', async () => {
      await routing.setAgentState(tenantId, 'A', 'Available');
      await arrive('1');
      const offer = offers.find((o) => o.contactId === '1')!;
      clock.advance(8_000);
      await routing.offerAccepted(tenantId, offer.offerId);
      publish('CallConnected', { callId: '1', agentId: 'A' });
      await settle();
      let q = await board();
      assert.deepEqual([q.today.offered, q.today.answered, q.today.serviceLevel, q.today.asaSeconds, q.today.ahtSeconds], [1, 1, 1, 8, null]);
      assert.equal(q.agentsByState.Busy, 1);
      const agent = (await analytics.wallboard.wallboard(tenantId)).agents[0]!;
      assert.deepEqual([agent.displayName, agent.state, agent.contactId], ['Ann', 'Busy', '1']);

      await arrive('2');
      clock.advance(30_000);
      q = await board();
      assert.deepEqual([q.waiting, q.longestWaitMs, q.today.offered], [1, 30_000, 2]);
      await routing.abandon(tenantId, '2');
      publish('CallEnded', { callId: '2', endedBy: 'customer', reason: 'hangup' });
      await settle();
      q = await board();
      assert.deepEqual([q.waiting, q.today.abandoned, q.today.serviceLevel, q.today.abandonRate], [0, 1, 0.5, 0.5]);

      // Ann has talked 30 s when the customer hangs up; wrap-up runs out after the queue's 10 s.
      publish('CallEnded', { callId: '1', endedBy: 'customer', reason: 'hangup' });
      await routing.agentReleased(tenantId, '1', 'A');
      await settle();
      assert.equal((await board()).agentsByState.AfterCallWork, 1);
      clock.advance(10_000);
      await settle();
      q = await board();
      assert.deepEqual([q.today.handled, q.today.ahtSeconds, q.agentsByState.Available], [1, 40, 1]);
    });

    test('WallboardChanged comes at most once per queue every 250 ms, and the last change is never lost', async () => {
      const ofQueue = changes.filter((c) => c.queueId === q1);
      assert.ok(ofQueue.length >= 3);
      for (let i = 1; i < ofQueue.length; i++) assert.ok(ofQueue[i]!.at - ofQueue[i - 1]!.at >= WALLBOARD_COALESCE_MS, `changes at ${ofQueue[i - 1]!.at} and ${ofQueue[i]!.at}`);
      clock.advance(1_000);
      const before = changes.filter((c) => c.queueId === q1).length;
      await arrive('3');
      await arrive('4');
      await arrive('5');
      const burst = changes.filter((c) => c.queueId === q1).length - before;
      assert.equal(burst, 1, 'three arrivals in the same instant: one change now');
      clock.advance(WALLBOARD_COALESCE_MS);
      assert.equal(changes.filter((c) => c.queueId === q1).length - before, 2, 'and one when the 250 ms are over');
    });

    test('after a restart today\'s figures are read back from the rollups and the records still open', async () => {
      const live = await board();
      assert.equal(live.today.offered, 5);
      analytics.stop();
      analytics = build();
      const restarted = await board();
      assert.deepEqual(restarted.today, live.today);
      // A contact still waiting from before the restart counts when the caller gives up.
      clock.advance(5_000);
      await routing.abandon(tenantId, '3');
      publish('CallEnded', { callId: '3', endedBy: 'customer', reason: 'hangup' });
      await settle();
      assert.equal((await board()).today.abandoned, 2);
    });

    test('a new local day starts from zero at midnight in the tenant\'s time zone', async () => {
      clock.advance(Date.UTC(2026, 2, 2, 16, 0, 0) - clock.now());
      const q = await board();
      assert.deepEqual([q.today.date, q.today.offered, q.today.serviceLevel], ['2026-03-03', 0, null]);
    });
  });
}
