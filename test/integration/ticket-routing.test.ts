// Tickets routed through the ACD as tasks, over the real app (real storage on each dialect, the real
// routing engine, tickets, recorder and desktop, the HTTP API with its access control) on a manual
// clock: a ticket of a routed type is offered to an Available agent with task capacity and accepted
// on the desktop; rejection and a timeout pass it on; resolving frees the agent's capacity; priority
// orders the queue; a restart keeps a queued work item in its place; the interaction record; and no
// one but the agent it was offered to can accept an offer.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp, type App, type AppEvents } from '../../src/app.ts';
import { RoutingStore, type ChannelAdapter } from '../../src/routing/index.ts';
import { testStorageTargets } from '../../src/storage/index.ts';
import { login, startTestApp, TEST_ARGON2, type TestApp } from '../support/test-app.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const OFFER_TIMEOUT_S = 30;

for (const dialect of testStorageTargets()) {
  describe(`tickets routed to agents as tasks (${dialect})`, () => {
    let t: TestApp;
    let app: App;
    let cookies: Record<'admin' | 'supervisor' | 'agent1' | 'agent2', string>;
    let ids: { agent1: string; agent2: string };
    let queueId: string;
    let routedType: string;
    let events: { name: string; p: Record<string, unknown> }[];
    let off: () => void;

    const call = async (who: keyof typeof cookies, method: Method, url: string, payload?: object) => {
      const res = await app.http.inject({ method, url, headers: { cookie: cookies[who] }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.json() as Record<string, unknown> & { items?: unknown[] }, raw: res.body };
    };
    const ok = async (who: keyof typeof cookies, method: Method, url: string, payload?: object) => {
      const res = await call(who, method, url, payload);
      assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${res.raw}`);
      return res.body;
    };
    const settled = async () => {
      for (let i = 0; i < 3; i++) {
        await app.ticketChannel.settled();
        await app.routing.flushed();
        await app.interactions.recorder.settled();
      }
    };
    const named = (name: keyof AppEvents) => events.filter((e) => e.name === name).map((e) => e.p);
    const taskOffers = () => named('OfferCreated').filter((p) => p['channel'] === 'task');
    const lastOffer = () => taskOffers().at(-1)!;
    const listen = (a: App) => {
      off = a.bus.subscribeAll((name, p) => events.push({ name, p: p as Record<string, unknown> }));
    };
    const openTicket = async (subject: string, extra: object = {}) => {
      const ticket = await ok('supervisor', 'POST', '/api/tickets', { type: routedType, subject, ...extra });
      await settled();
      return ticket as { id: string; number: number };
    };
    const withTasks = (agentId: string, task: number) => ok('admin', 'PUT', `/api/agents/${agentId}/profile`, { skills: {}, capacity: { voice: 1, task } });
    const available = async (who: 'agent1' | 'agent2') => {
      await ok(who, 'PUT', '/api/agents/me/state', { state: 'Available' });
      t.clock.advance(1);
      await settled();
    };
    /** The work items the routing engine has stored, in order of arrival. */
    const queued = async () => {
      await app.routing.flushed();
      return (await new RoutingStore(app.storage.db).contacts(t.tenants.demo)).sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    };
    /** Agent 1, with one unit of task capacity, accepts a new ticket's work item. */
    const holdTask = async (subject: string) => {
      await withTasks(ids.agent1, 1);
      await available('agent1');
      const ticket = await openTicket(subject);
      const contactId = String(lastOffer()['contactId']);
      assert.equal((await accept('agent1', lastOffer()['offerId'])).status, 200);
      await settled();
      return { ticket, contactId };
    };
    /** A restart: the app stops and a new one starts on the same storage and clock (`meanwhile` runs while it is down); everyone logs in again. */
    const restart = async (meanwhile?: () => Promise<void>) => {
      await app.stop();
      off();
      events = [];
      await meanwhile?.();
      app = await buildApp(app.config, { storage: app.storage, clock: t.clock, argon2: TEST_ARGON2 });
      listen(app);
      const again = { ...t, app };
      cookies = {
        admin: await login(again, 'demo', 'admin'), supervisor: await login(again, 'demo', 'supervisor'),
        agent1: await login(again, 'demo', 'agent1'), agent2: await login(again, 'demo', 'agent2'),
      };
    };
    /** Back to the test's first app (afterEach stops it). */
    const backToFirst = async () => {
      off();
      await app.stop();
      app = t.app;
      listen(app);
    };
    const accept = (who: keyof typeof cookies, offerId: unknown) => call(who, 'POST', `/api/agents/me/offers/${String(offerId)}/accept`);
    const resolve = async (who: 'agent1' | 'agent2', ticketId: string) => {
      for (const status of ['in_progress', 'resolved']) await ok(who, 'PATCH', `/api/tickets/${ticketId}`, { status });
      await settled();
    };

    beforeEach(async () => {
      t = await startTestApp(dialect);
      app = t.app;
      events = [];
      listen(app);
      cookies = {
        admin: await login(t, 'demo', 'admin'), supervisor: await login(t, 'demo', 'supervisor'),
        agent1: await login(t, 'demo', 'agent1'), agent2: await login(t, 'demo', 'agent2'),
      };
      ids = { agent1: app.demo!.userIds['agent1']!, agent2: app.demo!.userIds['agent2']! };
      queueId = (await ok('admin', 'POST', '/api/queues', { name: 'Back office', settings: { offerTimeoutSeconds: OFFER_TIMEOUT_S } }))['id'] as string;
      const types = (await ok('admin', 'GET', '/api/tickets/types')).items as { id: string; key: string; name: string; workflow: unknown }[];
      const inquiry = types.find((x) => x.key === 'inquiry')!;
      const saved = await ok('admin', 'PUT', `/api/tickets/types/${inquiry.id}`, { key: inquiry.key, name: inquiry.name, workflow: inquiry.workflow, queueId });
      assert.equal(saved['queueId'], queueId);
      routedType = inquiry.id;
    });
    afterEach(async () => { off(); await t.close(); });

    test('a ticket of a routed type is offered to an Available agent with task capacity; accepting assigns it to them; other types are not routed', async () => {
      const customer = await app.customers.create(t.tenants.demo, { name: 'Mei Chen' });
      await ok('admin', 'PUT', `/api/agents/${ids.agent1}/profile`, { skills: {}, capacity: { voice: 1 } });
      await available('agent1');
      const ticket = await openTicket('Invoice address wrong', { priority: 'high', customerId: customer.id });
      assert.equal(taskOffers().length, 0, 'no task capacity (the default is 0): nothing is offered');
      await withTasks(ids.agent1, 3);
      await settled();
      assert.deepEqual(taskOffers().map((p) => [p['agentId'], p['queueId']]), [[ids.agent1, queueId]]);

      const desk = await ok('agent1', 'GET', '/api/desktop/state');
      const work = desk['work'] as { taskOffers: Record<string, unknown>[]; tasks: unknown[]; offer: unknown };
      assert.equal(work.offer, null, 'a task is not a call\'s offer');
      assert.equal(work.taskOffers.length, 1);
      const offer = work.taskOffers[0]!;
      assert.equal(offer['offerId'], lastOffer()['offerId']);
      assert.equal(offer['queueName'], 'Back office');
      assert.equal(offer['timeoutSeconds'], OFFER_TIMEOUT_S);
      assert.deepEqual(offer['ticket'], {
        id: ticket.id, number: ticket.number, subject: 'Invoice address wrong', priority: 'high', status: 'new', statusName: 'New', statusCategory: 'open',
        customerId: customer.id, customerName: 'Mei Chen', resolveThrough: ['in_progress', 'resolved'],
      });
      assert.equal((await ok('supervisor', 'GET', `/api/tickets/${ticket.id}`))['assigneeUserId'], null, 'unassigned until accepted');

      const accepted = await accept('agent1', offer['offerId']);
      assert.equal(accepted.status, 200, accepted.raw);
      assert.deepEqual(accepted.body, { ok: true, contactId: offer['contactId'], ticketId: ticket.id });
      await settled();
      const assigned = await ok('supervisor', 'GET', `/api/tickets/${ticket.id}`);
      assert.equal(assigned['assigneeUserId'], ids.agent1);
      const history = (await ok('supervisor', 'GET', `/api/tickets/${ticket.id}/history`)).items as { field: string; actor: { name: string } }[];
      assert.equal(history.find((h) => h.field === 'assigneeUserId')?.actor.name, 'router');
      const after = (await ok('agent1', 'GET', '/api/desktop/state'))['work'] as { taskOffers: unknown[]; tasks: { contactId: string; ticket: { id: string } }[] };
      assert.deepEqual(after.taskOffers, []);
      assert.deepEqual(after.tasks.map((x) => [x.contactId, x.ticket.id]), [[offer['contactId'], ticket.id]]);
      const me = await ok('agent1', 'GET', '/api/agents/me');
      assert.deepEqual([me['state'], (me['load'] as Record<string, number>)['task']], ['Available', 1], 'still Available for calls and more tasks');
      assert.equal((await accept('agent1', offer['offerId'])).status, 404, 'an offer accepted is gone');

      await ok('supervisor', 'POST', '/api/tickets', { type: 'complaint', subject: 'Not routed', priority: 'urgent' });
      await settled();
      assert.equal(taskOffers().length, 1, 'a type without a queue is not routed');
      assert.equal(named('ContactQueued').length, 1);
    });

    test('rejecting and an offer timeout pass the ticket to the next agent, in its place', async () => {
      await withTasks(ids.agent1, 1);
      await withTasks(ids.agent2, 1);
      await available('agent1');
      await available('agent2');
      const ticket = await openTicket('Cannot log in');
      assert.equal(lastOffer()['agentId'], ids.agent1, 'the longest idle first');
      const rejected = await call('agent1', 'POST', `/api/agents/me/offers/${String(lastOffer()['offerId'])}/reject`);
      assert.deepEqual(rejected.body, { ok: true });
      await settled();
      assert.equal(lastOffer()['agentId'], ids.agent2);
      assert.deepEqual([(await ok('agent1', 'GET', '/api/agents/me'))['state'], (await ok('agent1', 'GET', '/api/agents/me'))['reason']], ['NotReady', 'rejected']);
      t.clock.advance(OFFER_TIMEOUT_S * 1000);
      await settled();
      assert.deepEqual(named('OfferDeclined').map((p) => p['reason']), ['rejected', 'timeout']);
      const agent2 = await ok('agent2', 'GET', '/api/agents/me');
      assert.deepEqual([agent2['state'], agent2['reason']], ['NotReady', 'missed']);
      assert.equal(taskOffers().length, 2, 'nobody left: it waits');
      await available('agent1');
      assert.deepEqual([taskOffers().length, lastOffer()['agentId'], lastOffer()['contactId']], [3, ids.agent1, taskOffers()[0]!['contactId']], 'the same work item');
      assert.equal((await accept('agent1', lastOffer()['offerId'])).status, 200);
      await settled();
      assert.equal((await ok('supervisor', 'GET', `/api/tickets/${ticket.id}`))['assigneeUserId'], ids.agent1);
    });

    test('resolving the ticket frees the agent\'s task capacity: the next ticket is offered, with no wrap-up', async () => {
      await withTasks(ids.agent1, 1);
      await available('agent1');
      const first = await openTicket('First');
      await openTicket('Second');
      assert.equal(taskOffers().length, 1, 'capacity 1: the second waits');
      assert.equal((await accept('agent1', lastOffer()['offerId'])).status, 200);
      await settled();
      assert.equal(taskOffers().length, 1);
      await ok('agent1', 'PATCH', `/api/tickets/${first.id}`, { status: 'in_progress' });
      await settled();
      assert.equal(taskOffers().length, 1, 'a ticket still open keeps its unit');
      await resolve('agent1', first.id);
      assert.equal(taskOffers().length, 2, 'the second ticket is offered');
      assert.deepEqual(named('ContactEnded').map((p) => [p['endedBy'], p['reason']]), [['agent', 'resolved']]);
      assert.deepEqual(named('WrapUpStarted'), []);
      const me = await ok('agent1', 'GET', '/api/agents/me');
      assert.deepEqual([me['state'], (me['load'] as Record<string, number>)['task']], ['Available', 1]);
      const tasks = ((await ok('agent1', 'GET', '/api/desktop/state'))['work'] as { tasks: unknown[] }).tasks;
      assert.deepEqual(tasks, [], 'the resolved task has left the desktop');
    });

    test('reassigning an accepted ticket to someone else releases its agent', async () => {
      await withTasks(ids.agent1, 1);
      await available('agent1');
      const ticket = await openTicket('Refund');
      assert.equal((await accept('agent1', lastOffer()['offerId'])).status, 200);
      await settled();
      await ok('supervisor', 'PATCH', `/api/tickets/${ticket.id}`, { assigneeUserId: ids.agent2 });
      await settled();
      assert.deepEqual(named('ContactEnded').map((p) => [p['endedBy'], p['reason']]), [['agent', 'reassigned']]);
      assert.equal(((await ok('agent1', 'GET', '/api/agents/me'))['load'] as Record<string, number>)['task'], 0);
    });

    test('a ticket taken another way while it waits leaves the queue', async () => {
      const ticket = await openTicket('Taken by hand');
      assert.equal(named('ContactQueued').length, 1);
      await ok('supervisor', 'PATCH', `/api/tickets/${ticket.id}`, { assigneeUserId: ids.agent2 });
      await settled();
      assert.deepEqual(named('ContactEnded').map((p) => p['reason']), ['assigned-elsewhere']);
      await withTasks(ids.agent1, 1);
      await available('agent1');
      assert.equal(taskOffers().length, 0, 'nothing left to offer');
      assert.equal(((await ok('admin', 'GET', `/api/queues/${queueId}`))['stats'] as { waiting: number }).waiting, 0);
    });

    test('priority orders the queue: urgent, high, normal, low', async () => {
      for (const priority of ['low', 'normal', 'urgent', 'high']) {
        await openTicket(`A ${priority} one`, { priority });
        t.clock.advance(1000);
      }
      await withTasks(ids.agent1, 4);
      await available('agent1');
      const order = await Promise.all(taskOffers().map(async (p) => {
        const desk = (await ok('agent1', 'GET', '/api/desktop/state'))['work'] as { taskOffers: { offerId: string; ticket: { priority: string } }[] };
        return desk.taskOffers.find((o) => o.offerId === p['offerId'])!.ticket.priority;
      }));
      assert.deepEqual(order, ['urgent', 'high', 'normal', 'low']);
    });

    test('a restart keeps a queued work item with its place; the ticket is offered and accepted after it', async () => {
      const early = await openTicket('Queued before the restart');
      const { enqueuedAt } = (await queued())[0]!;
      t.clock.advance(60_000);
      await openTicket('Queued later');
      await restart();
      const kept = await queued();
      assert.equal(kept.length, 2);
      assert.equal(kept[0]!.enqueuedAt, enqueuedAt, 'the original enqueue time');
      assert.deepEqual(named('ContactClosed'), [], 'nothing lost');
      await withTasks(ids.agent1, 1);
      await available('agent1');
      assert.equal(taskOffers().length, 1);
      assert.equal(lastOffer()['contactId'], kept[0]!.id, 'the earlier ticket first');
      assert.equal((await accept('agent1', lastOffer()['offerId'])).status, 200);
      await settled();
      assert.equal((await ok('supervisor', 'GET', `/api/tickets/${early.id}`))['assigneeUserId'], ids.agent1);
      await backToFirst();
    });

    test('a restart keeps an accepted work item with its agent: capacity held, on the desktop with its ticket, released by resolving it', async () => {
      const { ticket: held, contactId } = await holdTask('Held across the restart');
      await restart();
      await available('agent1');
      assert.deepEqual(named('ContactClosed'), [], 'nothing lost');
      const me = await ok('agent1', 'GET', '/api/agents/me');
      assert.deepEqual([me['state'], (me['load'] as Record<string, number>)['task']], ['Available', 1], 'the held ticket still takes their one unit');
      await openTicket('Arrives after the restart');
      assert.equal(taskOffers().length, 0, 'capacity 1 is held: the new ticket waits');
      const work = (await ok('agent1', 'GET', '/api/desktop/state'))['work'] as { tasks: { contactId: string; ticket: { id: string } | null }[] };
      assert.deepEqual(work.tasks.map((x) => [x.contactId, x.ticket?.id]), [[contactId, held.id]], 'the desktop shows the held task with its ticket');
      t.clock.advance(60_000);
      await resolve('agent1', held.id);
      assert.deepEqual(named('ContactEnded').map((p) => [p['contactId'], p['endedBy'], p['reason']]), [[contactId, 'agent', 'resolved']]);
      assert.equal(taskOffers().length, 1, 'its unit is free: the next ticket is offered');
      const record = await ok('supervisor', 'GET', `/api/interactions/${contactId}`);
      assert.deepEqual([record['agentId'], record['outcome'], record['endedAt']], [ids.agent1, 'answered', new Date(t.clock.now()).toISOString()], 'one interaction record, open across the restart, ended by the resolve');
      await backToFirst();
    });

    test('a ticket resolved while the server was down releases its agent when the ACD is restored', async () => {
      const { ticket: held, contactId } = await holdTask('Resolved while down');
      // Resolved while the server was down (written straight to the database): the restored ACD reads the ticket as it is.
      await restart(async () => {
        await app.storage.db.updateTable('tickets_ticket' as never).set({ status: 'resolved', status_category: 'resolved' } as never).where('id' as never, '=', held.id as never).execute();
      });
      await available('agent1');
      const me = await ok('agent1', 'GET', '/api/agents/me');
      assert.equal((me['load'] as Record<string, number>)['task'], 0, 'the unit is free again');
      const work = (await ok('agent1', 'GET', '/api/desktop/state'))['work'] as { tasks: unknown[] };
      assert.deepEqual(work.tasks, [], 'and the task has left the desktop');
      const record = await ok('supervisor', 'GET', `/api/interactions/${contactId}`);
      assert.deepEqual([record['agentId'], record['outcome'], record['endedBy'], typeof record['endedAt']], [ids.agent1, 'answered', 'system', 'string'], 'handled, not lost: its interaction ended with the restore');
      await backToFirst();
    });

    test('a restored work item whose stored routing data names no ticket is released at once, not held forever', async () => {
      const { contactId } = await holdTask('Damaged while down');
      await restart(async () => {
        await app.storage.db.updateTable('routing_contact' as never).set({ data: '{}' } as never).where('id' as never, '=', contactId as never).execute();
      });
      await available('agent1');
      const me = await ok('agent1', 'GET', '/api/agents/me');
      assert.equal((me['load'] as Record<string, number>)['task'], 0, 'the unit is free again');
      const record = await ok('supervisor', 'GET', `/api/interactions/${contactId}`);
      assert.deepEqual([record['outcome'], record['endedBy'], typeof record['endedAt']], ['answered', 'system', 'string'], 'its interaction ended');
      await backToFirst();
    });

    test('the interaction record of a work item: channel task, its timestamps, outcome and ticket', async () => {
      await withTasks(ids.agent1, 1);
      await available('agent1');
      t.clock.advance(5000);
      const arrived = new Date(t.clock.now()).toISOString();
      const ticket = await openTicket('Recorded');
      const contactId = String(lastOffer()['contactId']);
      t.clock.advance(7000);
      assert.equal((await accept('agent1', lastOffer()['offerId'])).status, 200);
      const answered = new Date(t.clock.now()).toISOString();
      t.clock.advance(120_000);
      await resolve('agent1', ticket.id);
      const ended = new Date(t.clock.now()).toISOString();
      const r = await ok('supervisor', 'GET', `/api/interactions/${contactId}`);
      assert.deepEqual(
        [r['channel'], r['direction'], r['queueId'], r['agentId'], r['arrivedAt'], r['queuedAt'], r['firstOfferedAt'], r['answeredAt'], r['endedAt'], r['wrapUpEndedAt'], r['outcome'], r['endedBy'], r['notes']],
        ['task', 'inbound', queueId, ids.agent1, arrived, arrived, arrived, answered, ended, ended, 'answered', 'agent', `ticket ${ticket.id}`],
      );
      const segments = (r['segments'] as { kind: string; outcome: string | null; agentId: string | null }[]).map((s) => [s.kind, s.outcome]);
      assert.deepEqual(segments, [['queue', 'answered'], ['offer', 'accepted']]);
      assert.deepEqual(named('InteractionClosed').map((p) => [p['interactionId'], p['outcome']]), [[contactId, 'answered']]);
    });

    test('only the agent it was offered to accepts an offer; a call\'s offer is answered on the phone (409)', async () => {
      await withTasks(ids.agent1, 1);
      await available('agent1');
      await openTicket('Mine');
      const offerId = lastOffer()['offerId'];
      const other = await login(t, 'other', 'o-agent');
      const foreign = await app.http.inject({ method: 'POST', url: `/api/agents/me/offers/${String(offerId)}/accept`, headers: { cookie: other } });
      const missing = await accept('agent1', '00000000-0000-4000-8000-000000000000');
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.body, missing.raw, 'another workspace\'s offer answers like one that never existed');
      const colleague = await accept('agent2', offerId);
      assert.equal(colleague.status, 404);
      assert.equal(colleague.raw, missing.raw);
      assert.equal(app.routing.offer(t.tenants.demo, String(offerId))?.agentId, ids.agent1, 'the offer still stands');

      const rung: string[] = [];
      const phones: ChannelAdapter = { offer: (o) => { rung.push(o.offerId); }, withdraw: () => {}, overflow: () => {}, alive: () => true };
      app.routing.registerChannel('voice', phones);
      await app.routing.enqueue(t.tenants.demo, { id: 'a-call', queueId, priority: 0, requirements: [], kind: 'contact', data: {} });
      await settled();
      const callOffer = named('OfferCreated').find((p) => p['contactId'] === 'a-call')!;
      const onPhone = await accept('agent1', callOffer['offerId']);
      assert.equal(onPhone.status, 409);
      assert.equal(onPhone.body['code'], 'SB_TASKS_OFFER_NOT_TASK');
      assert.deepEqual(rung, [callOffer['offerId']]);
    });
  });
}
