// The ACD engine around the core, on a real database (every dialect) and a manual clock: offers,
// their timeouts and failures, wrap-up, pending states, overflow, positions, and a restart that
// keeps every queued contact its channel still has (with its place) and closes the rest.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, MemoryEventBus, silentLogger } from '../kernel/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { RoutingEngine, type ChannelAdapter } from './routing-engine.ts';
import type { RoutingEvents } from './routing-events.ts';
import { RoutingStore } from './routing-store.sql.ts';

/** The voice channel as the engine sees it: records what it is asked; a test answers for the phones. */
class TestChannel implements ChannelAdapter {
  readonly offers: { offerId: string; contactId: string; agentId: string; kind: string }[] = [];
  readonly withdrawn: string[] = [];
  readonly overflows: { contactId: string; target: string }[] = [];
  readonly live = new Set<string>();

  offer(o: { offerId: string; contactId: string; agentId: string; kind: 'contact' | 'callback' }): void { this.offers.push(o); }
  withdraw(_t: string, offerId: string): void { this.withdrawn.push(offerId); }
  overflow(_t: string, contactId: string, target: string): void { this.overflows.push({ contactId, target }); }
  alive(_t: string, contactId: string, kind: 'contact' | 'callback'): boolean { return kind === 'callback' || this.live.has(contactId); }
  last() { return this.offers.at(-1)!; }
}

const flush = () => new Promise((r) => setImmediate(r));

for (const dialect of testStorageTargets()) {
  describe(`routing engine (${dialect})`, () => {
    let storage: Storage;
    let clock: ManualClock;
    let bus: MemoryEventBus<RoutingEvents>;
    let events: { name: string; p: Record<string, unknown> }[];
    let channel: TestChannel;
    let tasks: TestChannel;
    let engine: RoutingEngine;
    let tenant: string;
    let other: string;
    let queueId: string;

    const build = () => {
      const e = new RoutingEngine({ store: new RoutingStore(storage.db), bus, clock, log: silentLogger });
      e.registerChannel('voice', channel);
      e.registerChannel('task', tasks);
      return e;
    };
    const named = (name: string) => events.filter((e) => e.name === name).map((e) => e.p);

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(Date.UTC(2026, 11, 1, 1, 0, 0));
      const tenants = new TenantStore(storage.db);
      tenant = (await tenants.create({ slug: 'acme', name: 'Acme', timeZone: 'Asia/Shanghai' }, new Date(clock.now()))).id;
      other = (await tenants.create({ slug: 'other', name: 'Other', timeZone: 'Asia/Taipei' }, new Date(clock.now()))).id;
    });
    after(async () => { engine?.stop(); await storage.close(); });

    beforeEach(async () => {
      engine?.stop();
      await storage.db.deleteFrom('routing_contact').execute();
      await storage.db.deleteFrom('routing_agent').execute();
      await storage.db.deleteFrom('routing_queue').execute();
      bus = new MemoryEventBus<RoutingEvents>();
      events = [];
      bus.subscribeAll((name, p) => events.push({ name, p: p as Record<string, unknown> }));
      channel = new TestChannel();
      tasks = new TestChannel();
      engine = build();
      await engine.start();
      queueId = (await engine.saveQueue(tenant, { name: 'Support', settings: { requirements: [{ skill: 'support', minProficiency: 1 }], offerTimeoutSeconds: 20, wrapUpSeconds: 30, dispositions: ['Resolved', 'Escalated'] } })).id;
      await engine.setProfile(tenant, 'ann', { skills: { support: 5 } });
      await engine.setProfile(tenant, 'bob', { skills: { support: 2 } });
    });

    const contact = (id: string, extra: object = {}) => ({ id, queueId, priority: 0, requirements: [], kind: 'contact' as const, data: {}, ...extra });

    test('a contact is offered to the best available agent; accepted, the agent is Busy; released, they wrap up, then are Available', async () => {
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.setAgentState(tenant, 'bob', 'Available');
      await engine.enqueue(tenant, contact('c1'));
      await flush();
      assert.deepEqual(channel.offers.map((o) => [o.contactId, o.agentId]), [['c1', 'ann']], 'the most proficient agent');
      await engine.offerAccepted(tenant, channel.last().offerId);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Busy');
      clock.advance(60_000);
      await engine.agentReleased(tenant, 'c1', 'ann');
      assert.equal((await engine.agent(tenant, 'ann')).state, 'AfterCallWork');
      clock.advance(29_000);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'AfterCallWork');
      clock.advance(1_000);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Available');
      assert.deepEqual(named('WrapUpEnded').map((p) => [p['contactId'], p['disposition']]), [['c1', null]]);
      assert.deepEqual(named('AgentStateChanged').filter((p) => p['agentId'] === 'ann').map((p) => p['state']), ['Available', 'Busy', 'AfterCallWork', 'Available']);
      await engine.flushed();
      assert.deepEqual(await new RoutingStore(storage.db).contacts(tenant), [], 'nothing left in the store');
    });

    test('an offer not answered in time sets the agent NotReady (missed) and goes to the next agent, keeping the contact\'s place', async () => {
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.setAgentState(tenant, 'bob', 'Available');
      const t0 = clock.now();
      await engine.enqueue(tenant, contact('c1'));
      await flush();
      const first = channel.last();
      clock.advance(20_000);
      await flush();
      assert.deepEqual(channel.withdrawn, [first.offerId], 'the ringing phone is stopped');
      const ann = await engine.agent(tenant, 'ann');
      assert.deepEqual([ann.state, ann.reason], ['NotReady', 'missed']);
      assert.deepEqual(channel.offers.map((o) => o.agentId), ['ann', 'bob']);
      assert.deepEqual(named('OfferDeclined').map((p) => [p['agentId'], p['reason']]), [['ann', 'timeout']]);
      await engine.flushed();
      const stored = (await new RoutingStore(storage.db).contacts(tenant))[0]!;
      assert.equal(stored.enqueuedAt, t0);
      assert.equal(stored.state, 'offered');
      assert.equal(stored.agentId, 'bob');
    });

    test('a phone that rejects or cannot be reached sends the contact to the next agent too', async () => {
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.setAgentState(tenant, 'bob', 'Available');
      await engine.enqueue(tenant, contact('c1'));
      await flush();
      await engine.offerFailed(tenant, channel.last().offerId, 'unreachable');
      await flush();
      assert.equal(channel.last().agentId, 'bob');
      await engine.offerFailed(tenant, channel.last().offerId, 'rejected');
      assert.deepEqual([(await engine.agent(tenant, 'ann')).reason, (await engine.agent(tenant, 'bob')).reason], ['unreachable', 'rejected']);
      assert.equal((await engine.queueStats(tenant, queueId)).waiting, 1, 'still waiting, nobody left');
    });

    test('a state chosen while busy applies after wrap-up; a disposition must be one of the queue\'s', async () => {
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.enqueue(tenant, contact('c1'));
      await flush();
      await engine.offerAccepted(tenant, channel.last().offerId);
      const pending = await engine.setAgentState(tenant, 'ann', 'NotReady', 'lunch');
      assert.equal(pending.state, 'Busy');
      assert.deepEqual(pending.pending, { state: 'NotReady', reason: 'lunch' });
      await engine.agentReleased(tenant, 'c1', 'ann');
      await assert.rejects(engine.endWrapUp(tenant, 'ann', 'Sold'), (e: Error & { code?: string }) => e.code === 'SB_VALIDATION');
      assert.equal(await engine.endWrapUp(tenant, 'ann', 'Resolved'), true);
      const ann = await engine.agent(tenant, 'ann');
      assert.deepEqual([ann.state, ann.reason, ann.pending], ['NotReady', 'lunch', null]);
      assert.deepEqual(named('WrapUpEnded').map((p) => p['disposition']), ['Resolved']);
    });

    test('a caller who hangs up while being offered is abandoned and the offer withdrawn', async () => {
      await engine.setAgentState(tenant, 'ann', 'Available');
      clock.advance(1);
      await engine.enqueue(tenant, contact('c1'));
      await flush();
      clock.advance(7_000);
      await engine.abandon(tenant, 'c1');
      assert.deepEqual(channel.withdrawn, [channel.last().offerId]);
      assert.deepEqual(named('OfferDeclined').map((p) => p['reason']), ['withdrawn']);
      assert.equal(named('ContactAbandoned')[0]!['waitMs'], 7_000);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Available', 'the agent is free again');
    });

    test('after the longest wait a contact overflows to another queue with its place, or leaves for voicemail', async () => {
      const overflowQueue = (await engine.saveQueue(tenant, { name: 'Overflow', settings: {} })).id;
      await engine.saveQueue(tenant, { id: queueId, name: 'Support', settings: { maxWaitSeconds: 30, overflow: { kind: 'queue', queueId: overflowQueue } } });
      const t0 = clock.now();
      await engine.enqueue(tenant, contact('c1'));
      clock.advance(31_000);
      assert.deepEqual(named('ContactOverflowed').map((p) => [p['contactId'], p['toQueueId']]), [['c1', overflowQueue]]);
      const moved = (await (await engine.flushed(), new RoutingStore(storage.db).contacts(tenant)))[0]!;
      assert.equal(moved.queueId, overflowQueue);
      assert.equal(moved.enqueuedAt, t0, 'the caller keeps their place');
      await engine.saveQueue(tenant, { id: overflowQueue, name: 'Overflow', settings: { maxWaitSeconds: 10, overflow: { kind: 'voicemail' } } });
      clock.advance(11_000);
      assert.deepEqual(channel.overflows, [{ contactId: 'c1', target: 'voicemail' }]);
      assert.equal((await engine.queueStats(tenant, overflowQueue)).waiting, 0);
    });

    test('position and expected wait come from the queue order and its handle time', async () => {
      await engine.setAgentState(tenant, 'ann', 'NotReady', 'break');
      await engine.enqueue(tenant, contact('c1'));
      clock.advance(10);
      await engine.enqueue(tenant, contact('c2'));
      clock.advance(10);
      await engine.enqueue(tenant, contact('vip', { priority: 10 }));
      assert.deepEqual(['c1', 'c2', 'vip'].map((id) => engine.position(tenant, id)?.position), [2, 3, 1]);
      await engine.setAgentState(tenant, 'bob', 'NotReady', 'break');
      assert.equal(engine.position(tenant, 'c1')?.expectedWaitSeconds, 180, 'two agents logged in, 180 s assumed handle time: 2nd × 180 s / 2 agents');
      await engine.setAgentState(tenant, 'ann', 'Offline');
      await engine.setAgentState(tenant, 'bob', 'Offline');
      assert.equal(engine.position(tenant, 'c1')?.expectedWaitSeconds, null, 'nobody logged in: no estimate');
    });

    test('after a restart, contacts their channel still has keep their place; the others are closed with a reason', async () => {
      await engine.setAgentState(tenant, 'ann', 'Available');
      const t0 = clock.now();
      await engine.enqueue(tenant, contact('live', { kind: 'contact' }));
      await flush();
      await engine.offerAccepted(tenant, channel.last().offerId);
      clock.advance(1000);
      await engine.enqueue(tenant, contact('callback', { kind: 'callback', data: { number: '+8613800138000' } }));
      await engine.enqueue(tenant, contact('lost', { kind: 'contact' }));
      await engine.flushed();
      engine.stop();

      channel = new TestChannel();
      events.length = 0;
      engine = build();
      await engine.start();
      await flush();
      const closed = named('ContactClosed').map((p) => [p['contactId'], p['reason']]).sort();
      assert.deepEqual(closed, [['live', 'lost-on-restart-while-assigned'], ['lost', 'lost-on-restart']]);
      const ann = await engine.agent(tenant, 'ann');
      assert.deepEqual([ann.state, ann.reason], ['NotReady', 'restart'], 'an agent who was on a call is not offered work until they say so');
      const left = await new RoutingStore(storage.db).contacts(tenant);
      assert.deepEqual(left.map((c) => [c.id, c.enqueuedAt, c.kind]), [['callback', t0 + 1000, 'callback']]);
      await engine.setAgentState(tenant, 'bob', 'Available');
      await flush();
      assert.deepEqual(channel.offers.map((o) => [o.contactId, o.agentId, o.kind]), [['callback', 'bob', 'callback']]);
    });

    const task = (id: string) => contact(id, { channel: 'task' as const, data: { ticketId: `ticket-${id}` } });
    const withTasks = async (agentId: string, capacity: number) => {
      await engine.setProfile(tenant, agentId, { skills: { support: agentId === 'ann' ? 5 : 2 }, capacity: { voice: 1, task: capacity } });
    };

    test('tasks (a background channel): accepted, the agent stays Available and still takes a call; after the call they are Available again', async () => {
      await withTasks('ann', 2);
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.enqueue(tenant, task('t1'));
      await flush();
      assert.deepEqual(tasks.offers.map((o) => o.contactId), ['t1'], 'the task channel delivers task offers');
      assert.deepEqual(engine.offer(tenant, tasks.last().offerId), { offerId: tasks.last().offerId, contactId: 't1', agentId: 'ann', queueId, channel: 'task' });
      assert.equal(engine.offer(other, tasks.last().offerId), undefined, 'another workspace does not see the offer');
      await engine.offerAccepted(tenant, tasks.last().offerId);
      assert.equal(engine.offer(tenant, tasks.last().offerId), undefined, 'an accepted offer is no longer open');
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Available');
      await engine.enqueue(tenant, contact('call'));
      await flush();
      await engine.offerAccepted(tenant, channel.last().offerId);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Busy');
      await engine.agentReleased(tenant, 'call', 'ann');
      clock.advance(30_000);
      const ann = await engine.agent(tenant, 'ann');
      assert.deepEqual([ann.state, ann.load.task, ann.load.voice], ['Available', 1, 0], 'the held task does not keep them in wrap-up');
    });

    test('releasing a task frees its unit with no wrap-up; an agent Busy because every channel was full is Available again', async () => {
      await engine.setProfile(tenant, 'ann', { skills: { support: 5 }, capacity: { voice: 0, task: 1 } });
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.enqueue(tenant, task('t1'));
      clock.advance(10);
      await engine.enqueue(tenant, task('t2'));
      await flush();
      await engine.offerAccepted(tenant, tasks.last().offerId);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Busy', 'full on every channel it has');
      clock.advance(60_000);
      await engine.agentReleased(tenant, 't1', 'ann');
      await flush();
      assert.deepEqual(named('WrapUpStarted'), []);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Available');
      assert.deepEqual(tasks.offers.map((o) => o.contactId), ['t1', 't2'], 'the freed unit takes the next task');
      await engine.flushed();
      assert.deepEqual((await new RoutingStore(storage.db).contacts(tenant)).map((c) => [c.id, c.state]), [['t2', 'offered']]);
    });

    test('accepting one of two task offers that fill every channel keeps the other offer standing', async () => {
      await engine.setProfile(tenant, 'ann', { skills: { support: 5 }, capacity: { voice: 0, task: 2 } });
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.enqueue(tenant, task('t1'));
      await engine.enqueue(tenant, task('t2'));
      await flush();
      const [first, second] = tasks.offers;
      await engine.offerAccepted(tenant, first!.offerId);
      assert.equal((await engine.agent(tenant, 'ann')).state, 'Busy');
      assert.equal(engine.offer(tenant, second!.offerId)?.agentId, 'ann', 'still offered');
      await engine.offerAccepted(tenant, second!.offerId);
      assert.deepEqual((await engine.agent(tenant, 'ann')).assigned, ['t1', 't2']);
    });

    test('holding tasks does not hold back a state change; leaving Available withdraws task offers to the next agent', async () => {
      await withTasks('ann', 2);
      await withTasks('bob', 2);
      await engine.setAgentState(tenant, 'ann', 'Available');
      await engine.enqueue(tenant, task('t1'));
      await flush();
      await engine.offerAccepted(tenant, tasks.last().offerId);
      await engine.enqueue(tenant, task('t2'));
      await flush();
      const offered = tasks.last();
      assert.equal(offered.agentId, 'ann');
      const ann = await engine.agent(tenant, 'ann');
      assert.equal(ann.load.task, 2);
      const lunch = await engine.setAgentState(tenant, 'ann', 'NotReady', 'lunch');
      assert.deepEqual([lunch.state, lunch.reason, lunch.pending], ['NotReady', 'lunch', null], 'applied at once');
      assert.deepEqual(named('OfferDeclined').map((p) => [p['offerId'], p['reason']]), [[offered.offerId, 'withdrawn']]);
      await engine.setAgentState(tenant, 'bob', 'Available');
      await flush();
      assert.deepEqual([tasks.last().contactId, tasks.last().agentId], ['t2', 'bob']);
    });

    test('a workspace sees only its own queues and agents', async () => {
      assert.deepEqual((await engine.queues(other)).map((q) => q.name), []);
      await assert.rejects(engine.queue(other, queueId), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      await assert.rejects(engine.enqueue(other, contact('x')), (e: Error & { code?: string }) => e.code === 'SB_NOT_FOUND');
      assert.deepEqual((await engine.agents(other)).map((a) => a.id), []);
      await engine.saveQueue(other, { name: 'Support', settings: {} });
      await assert.rejects(engine.saveQueue(tenant, { name: 'Support', settings: {} }), (e: Error & { code?: string }) => e.code === 'SB_QUEUE_EXISTS');
    });
  });
}
