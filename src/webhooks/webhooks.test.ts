import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AuditLog } from '../audit/index.ts';
import { InteractionStore } from '../interactions/index.ts';
import { DomainError, ManualClock, MemoryEventBus, REDACTED_PATHS } from '../kernel/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { verifySignature } from './signature.ts';
import { TestReceiver } from './test-receiver.ts';
import type { WebhookEvents } from './webhook-events.ts';
import type { Delivery } from './webhook-model.ts';
import { Webhooks, type WebhooksDeps } from './webhooks.ts';

type TestEvents = Record<string, { tenantId: string; [field: string]: unknown }>;

const actor = { userId: null, name: 'ada', ip: '192.0.2.1' };
// random() = 0.5: each wait is three quarters of min(6 h, 30 s × 2^(n-1)).
const WAIT = [22_500, 45_000, 90_000];
const flush = () => new Promise((resolve) => setImmediate(resolve));

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, String(e));
    return e;
  }
  assert.fail('expected a DomainError');
}

for (const dialect of testStorageTargets()) {
  describe(`webhooks (${dialect})`, () => {
    let storage: Storage;
    let clock: ManualClock;
    let bus: MemoryEventBus<TestEvents>;
    let interactions: InteractionStore;
    let deps: WebhooksDeps;
    let webhooks: Webhooks;
    let a: string;
    let b: string;
    let logs = '';
    const secrets: string[] = [];
    const receivers: TestReceiver[] = [];
    const failures: WebhookEvents['WebhookDeliveryFailed'][] = [];

    const receiver = async () => {
      const r = await TestReceiver.start();
      receivers.push(r);
      return r;
    };
    const subscribe = async (tenantId: string, url: string, events: string[], more: { active?: boolean } = {}) => {
      const s = await webhooks.create(tenantId, { url, events: events as never, allowPrivateNetwork: true, ...more }, actor);
      secrets.push(s.secret);
      return s;
    };
    const deliveriesOf = async (tenantId: string, subscriptionId: string): Promise<Delivery[]> => (await webhooks.deliveries(tenantId, subscriptionId, {})).items;
    const agentState = (tenantId: string, n = 0) => bus.publish('AgentStateChanged', {
      tenantId, agentId: `agent-${n}`, state: 'Available', reason: null, previous: 'NotReady', at: new Date(clock.now()).toISOString(),
    });

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(Date.parse('2026-03-02T08:00:00Z'));
      const tenants = new TenantStore(storage.db);
      a = (await tenants.create({ slug: 'a', name: 'A', timeZone: 'Asia/Shanghai' }, new Date(clock.now()))).id;
      b = (await tenants.create({ slug: 'b', name: 'B', timeZone: 'Asia/Taipei' }, new Date(clock.now()))).id;
      bus = new MemoryEventBus<TestEvents>();
      bus.subscribe('WebhookDeliveryFailed', (e) => failures.push(e as unknown as WebhookEvents['WebhookDeliveryFailed']));
      interactions = new InteractionStore(storage.db);
      const sink = new Writable({ write(chunk, _enc, done) { logs += String(chunk); done(); } });
      deps = {
        db: storage.db, clock, audit: new AuditLog(storage.db, clock), bus, interactions,
        log: pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink),
        delivery: { timeoutMs: 5000, retry: { baseMs: 30_000, capMs: 6 * 3600_000, maxAttempts: 4 }, concurrency: 4, perSubscription: 2 },
        random: () => 0.5,
      };
      webhooks = new Webhooks(deps);
      webhooks.start();
    });
    afterEach(async () => {
      for (const r of receivers.splice(0)) await r.close();
      await webhooks.settled();
      for (const t of [a, b]) for (const s of await webhooks.list(t)) await webhooks.remove(t, s.id);
    });
    after(async () => {
      await webhooks.stop();
      await storage.close();
    });

    test('a subscribed event is POSTed as signed JSON with its event and delivery ids; nothing else is sent', async () => {
      const rx = await receiver();
      const theirs = await receiver();
      const sub = await subscribe(a, rx.url('/hooks?token=abc'), ['AgentStateChanged', 'CustomersMerged']);
      await subscribe(b, theirs.url(), ['AgentStateChanged', 'CustomerErased']);
      agentState(a);
      bus.publish('CustomerErased', { tenantId: a, customerId: 'c-1' });
      bus.publish('CallArrived', { tenantId: a, callId: 'x' });
      await webhooks.settled();

      assert.equal(rx.requests.length, 1);
      assert.equal(theirs.requests.length, 0, 'another tenant never receives this tenant\'s events');
      const req = rx.requests[0]!;
      assert.equal(req.method, 'POST');
      assert.equal(req.path, '/hooks?token=abc');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers['switchboard-event'], 'AgentStateChanged');
      const body = JSON.parse(req.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), ['id', 'type', 'tenantId', 'occurredAt', 'data']);
      assert.equal(body['type'], 'AgentStateChanged');
      assert.equal(body['tenantId'], a);
      assert.equal(body['occurredAt'], '2026-03-02T08:00:00.000Z');
      assert.deepEqual(body['data'], { tenantId: a, agentId: 'agent-0', state: 'Available', reason: null, previous: 'NotReady', at: '2026-03-02T08:00:00.000Z' });
      const signature = String(req.headers['switchboard-signature']);
      assert.match(signature, /^t=1772438400,v1=[0-9a-f]{64}$/);
      assert.equal(verifySignature({ header: signature, body: req.body, secret: sub.secret, now: clock.now() }), true);
      assert.equal(verifySignature({ header: signature, body: req.body, secret: secrets.at(-1)!, now: clock.now() }), false, 'another secret does not verify');

      const [d] = await deliveriesOf(a, sub.id);
      assert.ok(d);
      assert.equal(req.headers['switchboard-delivery'], d.id);
      assert.equal(d.eventId, body['id']);
      assert.deepEqual(
        { status: d.status, attempts: d.attempts, lastStatusCode: d.lastStatusCode, lastError: d.lastError, nextAttemptAt: d.nextAttemptAt, deliveredAt: d.deliveredAt },
        { status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null, deliveredAt: '2026-03-02T08:00:00.000Z' },
      );
      assert.deepEqual((await webhooks.delivery(a, d.id)).payload, body);
    });

    test('InteractionClosed carries the interaction record; CustomerErased then erases it from the stored bodies', async () => {
      const rx = await receiver();
      const sub = await subscribe(a, rx.url(), ['InteractionClosed', 'CustomerErased']);
      const at = '2026-03-02T07:59:00.000Z';
      await interactions.create(a, {
        id: 'int-1', channel: 'voice', direction: 'inbound', customer_address: '+8613800138000', customer_id: 'cust-1', dialled: '+862155550000', flow_id: null,
        language: 'en', queue_id: null, agent_id: 'agent-1', arrived_at: at, ivr_entered_at: null, ivr_left_at: null, queued_at: null, first_offered_at: null,
        answered_at: at, ended_at: at, wrap_up_ended_at: at, outcome: 'answered', ended_by: 'customer', disposition: 'sale', notes: null, recording_id: null,
        ivr_path: null, updated_at: at,
      });
      bus.publish('InteractionClosed', { tenantId: a, interactionId: 'int-1', outcome: 'answered', at });
      await webhooks.settled();
      const body = JSON.parse(rx.requests[0]!.body) as { occurredAt: string; data: { interactionId: string; interaction: { id: string; customerAddress: string; disposition: string; segments: unknown[] } } };
      assert.equal(body.occurredAt, at);
      assert.equal(body.data.interactionId, 'int-1');
      assert.equal(body.data.interaction.id, 'int-1');
      assert.equal(body.data.interaction.customerAddress, '+8613800138000');
      assert.equal(body.data.interaction.disposition, 'sale');
      assert.deepEqual(body.data.interaction.segments, []);

      bus.publish('CustomerErased', { tenantId: a, customerId: 'cust-1' });
      await webhooks.settled();
      assert.equal(rx.requests.length, 2);
      assert.deepEqual(JSON.parse(rx.requests[1]!.body).data, { tenantId: a, customerId: 'cust-1' });
      const closed = (await deliveriesOf(a, sub.id)).find((d) => d.eventType === 'InteractionClosed')!;
      const stored = (await webhooks.delivery(a, closed.id)).payload as { id: string; type: string; data: unknown };
      assert.deepEqual(stored.data, { erased: true });
      assert.equal(stored.id, (JSON.parse(rx.requests[0]!.body) as { id: string }).id, 'the envelope keeps its id');
      assert.ok(!JSON.stringify(stored).includes('+8613800138000'));
    });

    test('a failing receiver is retried with exponential backoff on the clock until it answers 2xx', async () => {
      const rx = await receiver();
      rx.answer = (n) => (n < 2 ? 503 : 204);
      const sub = await subscribe(a, rx.url(), ['AgentStateChanged']);
      agentState(a);
      await webhooks.settled();
      let [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts, d!.lastStatusCode, d!.lastError], ['pending', 1, 503, 'answered 503']);
      assert.equal(d!.nextAttemptAt, new Date(clock.now() + WAIT[0]!).toISOString());

      clock.advance(WAIT[0]! - 1);
      await webhooks.settled();
      assert.equal(rx.requests.length, 1, 'not before it is due');
      clock.advance(1);
      await webhooks.settled();
      assert.equal(rx.requests.length, 2);
      [d] = await deliveriesOf(a, sub.id);
      assert.equal(d!.attempts, 2);
      assert.equal(d!.nextAttemptAt, new Date(clock.now() + WAIT[1]!).toISOString(), 'the wait doubled');

      clock.advance(WAIT[1]!);
      await webhooks.settled();
      [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts, d!.lastStatusCode, d!.nextAttemptAt], ['delivered', 3, 204, null]);
      assert.equal(new Set(rx.requests.map((r) => r.headers['switchboard-delivery'])).size, 1, 'one delivery id across attempts');
      assert.equal(new Set(rx.requests.map((r) => r.body)).size, 1, 'the same body');
      const stamps = rx.requests.map((r) => Number(/t=(\d+)/.exec(String(r.headers['switchboard-signature']))![1]));
      assert.ok(stamps[0]! < stamps[1]! && stamps[1]! < stamps[2]!, 'each attempt is signed at its own time');
      for (const r of rx.requests) assert.ok(verifySignature({ header: String(r.headers['switchboard-signature']), body: r.body, secret: sub.secret, now: clock.now() }));
    });

    test('after the last attempt the delivery is failed and WebhookDeliveryFailed published; a redelivery sends the event again', async () => {
      const rx = await receiver();
      rx.answer = () => 500;
      const sub = await subscribe(a, rx.url(), ['AgentStateChanged']);
      failures.splice(0);
      agentState(a);
      await webhooks.settled();
      for (const wait of WAIT) {
        clock.advance(wait);
        await webhooks.settled();
      }
      const [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts, d!.nextAttemptAt, d!.lastStatusCode], ['failed', 4, null, 500]);
      assert.deepEqual(failures, [{ tenantId: a, subscriptionId: sub.id, deliveryId: d!.id, eventType: 'AgentStateChanged', attempts: 4, lastStatusCode: 500, at: d!.lastAttemptAt }]);
      clock.advance(24 * 3600_000);
      await webhooks.settled();
      assert.equal(rx.requests.length, 4, 'no attempt after the last');

      rx.answer = () => 200;
      const again = await webhooks.redeliver(a, d!.id, actor);
      assert.notEqual(again.id, d!.id);
      assert.equal(again.eventId, d!.eventId);
      assert.equal(again.status, 'pending');
      await webhooks.settled();
      assert.equal(rx.requests.length, 5);
      assert.equal(rx.requests[4]!.headers['switchboard-delivery'], again.id);
      assert.equal(rx.requests[4]!.body, rx.requests[0]!.body, 'the same event body');
      const page = await deliveriesOf(a, sub.id);
      assert.deepEqual(page.map((x) => [x.id, x.status]), [[again.id, 'delivered'], [d!.id, 'failed']]);
      assert.deepEqual((await webhooks.deliveries(a, sub.id, { status: 'failed' })).items.map((x) => x.id), [d!.id]);
    });

    test('a receiver that does not answer times out after the per-attempt timeout; one that is down is retried until it is back', async () => {
      const rx = await receiver();
      rx.answer = () => 'hold';
      const sub = await subscribe(a, rx.url(), ['AgentStateChanged']);
      agentState(a);
      await rx.received(1);
      clock.advance(4999);
      await flush();
      assert.equal((await deliveriesOf(a, sub.id))[0]!.attempts, 0, 'still waiting for the answer');
      clock.advance(1);
      await webhooks.settled();
      let [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts, d!.lastStatusCode, d!.lastError], ['pending', 1, null, 'no answer within 5000 ms']);

      await rx.close();
      clock.advance(WAIT[0]!);
      await webhooks.settled();
      [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts, d!.lastError], ['pending', 2, 'ECONNREFUSED']);

      rx.answer = () => 200;
      await rx.listen();
      clock.advance(WAIT[1]!);
      await webhooks.settled();
      [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts], ['delivered', 3]);
    });

    test('a slow receiver holds only its own slots: another subscription\'s deliveries go through meanwhile', async () => {
      const slow = await receiver();
      const fast = await receiver();
      slow.answer = () => 'hold';
      const s = await subscribe(a, slow.url(), ['AgentStateChanged']);
      const f = await subscribe(a, fast.url(), ['AgentStateChanged']);
      for (let i = 0; i < 6; i++) agentState(a, i);
      await fast.received(6);
      while ((await deliveriesOf(a, f.id)).some((d) => d.status !== 'delivered') || webhooks.inFlight() > 2) await flush();
      assert.equal(slow.requests.length, 2, 'at most two attempts at once to one subscription');
      assert.equal(slow.held(), 2);
      assert.equal(webhooks.inFlight(), 2);

      slow.answer = () => 200;
      slow.release();
      await webhooks.settled();
      assert.equal(slow.requests.length, 6);
      assert.ok((await deliveriesOf(a, s.id)).every((d) => d.status === 'delivered'));
      assert.deepEqual(new Set(slow.requests.map((r) => JSON.parse(r.body).data.agentId)), new Set([0, 1, 2, 3, 4, 5].map((i) => `agent-${i}`)));
    });

    test('attempts in flight are bounded overall', async () => {
      const held = [await receiver(), await receiver(), await receiver()];
      for (const r of held) {
        r.answer = () => 'hold';
        await subscribe(a, r.url(), ['CustomersMerged']);
      }
      for (let i = 0; i < 3; i++) bus.publish('CustomersMerged', { tenantId: a, survivorId: `s${i}`, mergedId: `m${i}`, mergeId: `g${i}` });
      const total = () => held.reduce((n, r) => n + r.requests.length, 0);
      while (total() < 4) await flush();
      assert.equal(webhooks.inFlight(), 4);
      for (let i = 0; i < 20; i++) await flush();
      assert.equal(total(), 4, 'no fifth attempt while four are in flight');
      for (const r of held) {
        r.answer = () => 200;
        r.release();
      }
      await webhooks.settled();
      assert.equal(total(), 9);
    });

    test('a pending delivery survives a restart: a new worker on the same database sends it', async () => {
      const rx = await receiver();
      rx.answer = () => 'hold';
      const sub = await subscribe(a, rx.url(), ['AgentStateChanged']);
      agentState(a, 1);
      await rx.received(1);
      await webhooks.stop();
      let [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts], ['pending', 0], 'an attempt cut short by the stop is not counted');

      rx.answer = (n) => (n === 1 ? 200 : 503);
      webhooks = new Webhooks(deps);
      webhooks.start();
      await webhooks.settled();
      [d] = await deliveriesOf(a, sub.id);
      assert.deepEqual([d!.status, d!.attempts], ['delivered', 1]);
      assert.equal(rx.requests[1]!.headers['switchboard-delivery'], d!.id);

      agentState(a, 2);
      await webhooks.settled();
      const retry = (await deliveriesOf(a, sub.id)).find((x) => x.status === 'pending')!;
      assert.equal(retry.attempts, 1);
      await webhooks.stop();
      clock.advance(WAIT[0]!);
      rx.answer = () => 200;
      webhooks = new Webhooks(deps);
      webhooks.start();
      await webhooks.settled();
      assert.equal((await webhooks.delivery(a, retry.id)).status, 'delivered', 'a retry that fell due while stopped is sent on start');
      assert.equal(rx.requests.length, 4);
    });

    test('another tenant\'s subscriptions and deliveries answer not found', async () => {
      const rx = await receiver();
      const theirs = await subscribe(b, rx.url(), ['CustomersMerged']);
      bus.publish('CustomersMerged', { tenantId: b, survivorId: 's', mergedId: 'm', mergeId: 'g' });
      await webhooks.settled();
      const [delivery] = await deliveriesOf(b, theirs.id);
      assert.ok(delivery);
      const calls: (() => Promise<unknown>)[] = [
        () => webhooks.get(a, theirs.id), () => webhooks.update(a, theirs.id, { active: false }), () => webhooks.remove(a, theirs.id),
        () => webhooks.rotateSecret(a, theirs.id), () => webhooks.deliveries(a, theirs.id, {}), () => webhooks.ping(a, theirs.id),
        () => webhooks.delivery(a, delivery.id), () => webhooks.redeliver(a, delivery.id),
      ];
      for (const call of calls) assert.equal((await rejection(call())).code, 'SB_NOT_FOUND');
      assert.deepEqual(await webhooks.list(a), []);
      assert.equal((await webhooks.get(b, theirs.id)).active, true, 'untouched');
      assert.equal(rx.requests.length, 1);
    });

    test('URLs and events are checked: private addresses need allowPrivateNetwork', async () => {
      const bad = async (p: Promise<unknown>, code: string, field: string) => {
        const e = await rejection(p);
        assert.equal(e.code, code);
        assert.equal(e.details?.['field'], field);
      };
      await bad(webhooks.create(a, { url: 'http://127.0.0.1:9/hook', events: ['AgentStateChanged'] }), 'SB_WEBHOOKS_URL_PRIVATE', 'url');
      await bad(webhooks.create(a, { url: 'http://169.254.169.254/latest', events: ['AgentStateChanged'] }), 'SB_WEBHOOKS_URL_PRIVATE', 'url');
      await bad(webhooks.create(a, { url: 'http://localhost/hook', events: ['AgentStateChanged'] }), 'SB_WEBHOOKS_URL_PRIVATE', 'url');
      await bad(webhooks.create(a, { url: 'ftp://hooks.example.com/', events: ['AgentStateChanged'] }), 'SB_WEBHOOKS_URL_INVALID', 'url');
      await bad(webhooks.create(a, { url: 'https://hooks.example.com/', events: [] }), 'SB_VALIDATION', 'events');
      await bad(webhooks.create(a, { url: 'https://hooks.example.com/', events: ['CallArrived' as never] }), 'SB_VALIDATION', 'events.0');
      const ok = await webhooks.create(a, { url: 'https://hooks.example.com/x', events: ['TicketCreated', 'TicketCreated', 'TicketSlaBreached'] });
      assert.deepEqual(ok.events, ['TicketCreated', 'TicketSlaBreached']);
      assert.equal(ok.allowPrivateNetwork, false);
      await bad(webhooks.update(a, ok.id, { url: 'http://10.0.0.8/x' }), 'SB_WEBHOOKS_URL_PRIVATE', 'url');
      const local = await subscribe(a, 'http://127.0.0.1:9/x', ['TicketUpdated']);
      await bad(webhooks.update(a, local.id, { allowPrivateNetwork: false }), 'SB_WEBHOOKS_URL_PRIVATE', 'url');
    });

    test('ticket events are delivered by name once published; an inactive subscription waits; a ping is a delivery', async () => {
      const rx = await receiver();
      const sub = await subscribe(a, rx.url(), ['TicketSlaBreached']);
      bus.publish('TicketSlaBreached', { tenantId: a, ticketId: 't-1', target: 'first-response', at: '2026-03-02T07:00:00.000Z' });
      await webhooks.settled();
      assert.deepEqual(JSON.parse(rx.requests[0]!.body).data, { tenantId: a, ticketId: 't-1', target: 'first-response', at: '2026-03-02T07:00:00.000Z' });

      const ping = await webhooks.ping(a, sub.id, actor);
      assert.deepEqual([ping.eventType, ping.status, ping.attempts], ['WebhookPing', 'pending', 0], 'answered as queued');
      await webhooks.settled();
      assert.equal(rx.requests[1]!.headers['switchboard-event'], 'WebhookPing');
      assert.equal(JSON.parse(rx.requests[1]!.body).data.subscriptionId, sub.id);
      assert.equal((await webhooks.delivery(a, ping.id)).status, 'delivered');

      rx.answer = (n) => (n === 2 ? 503 : 200);
      bus.publish('TicketSlaBreached', { tenantId: a, ticketId: 't-2' });
      await webhooks.settled();
      await webhooks.update(a, sub.id, { active: false }, actor);
      assert.equal((await rejection(webhooks.ping(a, sub.id))).code, 'SB_WEBHOOKS_INACTIVE');
      bus.publish('TicketSlaBreached', { tenantId: a, ticketId: 't-3' });
      clock.advance(WAIT[0]!);
      await webhooks.settled();
      assert.equal(rx.requests.length, 3, 'nothing is sent while inactive, and nothing recorded for it');
      await webhooks.update(a, sub.id, { active: true }, actor);
      await webhooks.settled();
      assert.equal(rx.requests.length, 4, 'the waiting retry goes out once active again');
      assert.equal(JSON.parse(rx.requests[3]!.body).data.ticketId, 't-2');
    });

    test('a rotated secret signs the next delivery; secrets are never shown again', async () => {
      const rx = await receiver();
      const sub = await subscribe(a, rx.url(), ['CustomersUnmerged']);
      const rotated = await webhooks.rotateSecret(a, sub.id, actor);
      secrets.push(rotated.secret);
      assert.notEqual(rotated.secret, sub.secret);
      assert.match(rotated.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      bus.publish('CustomersUnmerged', { tenantId: a, survivorId: 's', mergedId: 'm', mergeId: 'g' });
      await webhooks.settled();
      const r = rx.requests[0]!;
      assert.equal(verifySignature({ header: String(r.headers['switchboard-signature']), body: r.body, secret: rotated.secret, now: clock.now() }), true);
      assert.equal(verifySignature({ header: String(r.headers['switchboard-signature']), body: r.body, secret: sub.secret, now: clock.now() }), false);
      const shown = JSON.stringify([
        await webhooks.list(a), await webhooks.get(a, sub.id), await webhooks.update(a, sub.id, { description: 'CRM' }), await webhooks.deliveries(a, sub.id, {}),
      ]);
      for (const secret of secrets) assert.ok(!shown.includes(secret));
      assert.ok(!shown.includes('secret'));
      const audit = JSON.stringify(await new AuditLog(storage.db, clock).list(a, { limit: 500 }));
      assert.match(audit, /webhook\.secret_rotated/);
      for (const secret of secrets) assert.ok(!audit.includes(secret), 'not in the audit trail');
    });

    test('finished deliveries are removed after the retention period', async () => {
      const rx = await receiver();
      const sub = await subscribe(a, rx.url(), ['VoicemailRecorded']);
      bus.publish('VoicemailRecorded', { tenantId: a, callId: 'c', recordingId: 'r', durationMs: 1000, at: '2026-03-02T08:00:00.000Z' });
      await webhooks.settled();
      assert.equal((await deliveriesOf(a, sub.id)).length, 1);
      clock.advance(29 * 24 * 3600_000);
      await webhooks.settled();
      clock.advance(60_000);
      await webhooks.settled();
      assert.equal((await deliveriesOf(a, sub.id)).length, 1, 'kept for 30 days');
      clock.advance(2 * 24 * 3600_000);
      await webhooks.settled();
      clock.advance(60_000);
      await webhooks.settled();
      assert.equal((await deliveriesOf(a, sub.id)).length, 0, 'the first scan after 30 days removes it');
    });

    test('logs name failures by ids and host, never a secret or the URL\'s path and query', () => {
      assert.match(logs, /webhook delivery failed; will retry/);
      assert.match(logs, /webhook delivery failed for good/);
      assert.ok(secrets.length >= 5);
      for (const secret of secrets) assert.ok(!logs.includes(secret));
      assert.ok(!logs.includes('token=abc'));
      assert.ok(!logs.includes('/hook'));
    });
  });
}
