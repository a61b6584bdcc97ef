// Interaction records built from the events of a contact's way through the system, on every
// dialect: every timestamp from its event, hold time, disposition, the closing rule; the caller
// resolved to a CRM customer, shown on their timeline; a customer's erasure reaching their records
// and recordings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testStorageTargets } from '../../src/storage/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

for (const dialect of testStorageTargets()) {
  describe(`interaction records (${dialect})`, () => {
    let t: TestApp;
    let tenantId: string;
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 2, 0, 0) + s * 1000).toISOString();
    before(async () => {
      t = await startTestApp(dialect);
      tenantId = t.tenants.demo;
    });
    after(async () => { await t.close(); });

    test('a call\'s events become one record with every timestamp, segments, hold time, disposition; closed once after wrap-up', async () => {
      const closed: string[] = [];
      const off = t.app.bus.subscribe('InteractionClosed', (e) => closed.push(e.interactionId));
      const id = 'call-a';
      const bus = t.app.bus;
      bus.publish('CallArrived', { tenantId, callId: id, direction: 'inbound', from: '+8675512345678', to: '8000', at: at(0) });
      bus.publish('IvrEntered', { tenantId, callId: id, flowId: 'f1', flowVersion: 2, at: at(1) });
      bus.publish('ContactQueued', { tenantId, contactId: id, queueId: 'q1', channel: 'voice', priority: 0, kind: 'contact', at: at(9) });
      bus.publish('IvrLeft', { tenantId, callId: id, flowId: 'f1', at: at(9), exit: 'queue', queueId: 'q1', language: 'cmn', path: [{ node: 'menu', type: 'menu', input: '2' }] });
      bus.publish('OfferCreated', { tenantId, contactId: id, offerId: 'o1', agentId: 'ann', queueId: 'q1', channel: 'voice', at: at(20) });
      bus.publish('OfferDeclined', { tenantId, contactId: id, offerId: 'o1', agentId: 'ann', queueId: 'q1', reason: 'timeout', at: at(40) });
      bus.publish('OfferCreated', { tenantId, contactId: id, offerId: 'o2', agentId: 'bob', queueId: 'q1', channel: 'voice', at: at(40) });
      bus.publish('OfferAccepted', { tenantId, contactId: id, offerId: 'o2', agentId: 'bob', queueId: 'q1', at: at(45) });
      bus.publish('CallConnected', { tenantId, callId: id, agentId: 'bob', at: at(45) });
      bus.publish('CallRecordingStarted', { tenantId, callId: id, recordingId: 'rec-a' });
      bus.publish('CallHeld', { tenantId, callId: id, agentId: 'bob', at: at(100) });
      bus.publish('CallResumed', { tenantId, callId: id, agentId: 'bob', at: at(130) });
      bus.publish('CallEnded', { tenantId, callId: id, endedBy: 'agent', reason: 'hang-up', at: at(200) });
      bus.publish('WrapUpStarted', { tenantId, contactId: id, agentId: 'bob', at: at(200) });
      await t.app.interactions.recorder.settled();
      assert.deepEqual(closed, [], 'not final before the wrap-up ends');
      bus.publish('WrapUpEnded', { tenantId, contactId: id, agentId: 'bob', disposition: 'Resolved', at: at(215) });
      await t.app.interactions.recorder.settled();
      off();
      assert.deepEqual(closed, [id]);
      const r = await t.app.interactions.store.get(tenantId, id);
      assert.deepEqual(
        [r.arrivedAt, r.ivrEnteredAt, r.ivrLeftAt, r.queuedAt, r.firstOfferedAt, r.answeredAt, r.endedAt, r.wrapUpEndedAt],
        [at(0), at(1), at(9), at(9), at(20), at(45), at(200), at(215)],
      );
      assert.deepEqual([r.outcome, r.endedBy, r.agentId, r.offers, r.holds, r.holdMs, r.disposition, r.recordingId, r.language], ['answered', 'agent', 'bob', 2, 1, 30_000, 'Resolved', 'rec-a', 'cmn']);
      assert.deepEqual(r.segments.map((s) => [s.kind, s.agentId, s.startedAt, s.endedAt, s.outcome]), [
        ['ivr', null, at(1), at(9), 'queue'],
        ['queue', null, at(9), at(45), 'answered'],
        ['offer', 'ann', at(20), at(40), 'timeout'],
        ['offer', 'bob', at(40), at(45), 'accepted'],
        ['talk', 'bob', at(45), at(200), 'ended-by-agent'],
        ['hold', 'bob', at(100), at(130), 'resumed'],
        ['wrap-up', 'bob', at(200), at(215), 'Resolved'],
      ]);
    });

    test('a caller who hangs up in the IVR is abandoned-ivr; one who hangs up while queued, abandoned', async () => {
      const bus = t.app.bus;
      bus.publish('CallArrived', { tenantId, callId: 'ivr-only', direction: 'inbound', from: '1001', to: '8000', at: at(0) });
      bus.publish('IvrEntered', { tenantId, callId: 'ivr-only', flowId: 'f1', flowVersion: 1, at: at(1) });
      bus.publish('CallEnded', { tenantId, callId: 'ivr-only', endedBy: 'customer', reason: 'hang-up', at: at(5) });
      bus.publish('CallArrived', { tenantId, callId: 'queued', direction: 'inbound', from: '1001', to: '8000', at: at(0) });
      bus.publish('ContactQueued', { tenantId, contactId: 'queued', queueId: 'q1', channel: 'voice', priority: 0, kind: 'contact', at: at(3) });
      bus.publish('ContactAbandoned', { tenantId, contactId: 'queued', queueId: 'q1', waitMs: 30_000, at: at(33) });
      bus.publish('CallEnded', { tenantId, callId: 'queued', endedBy: 'customer', reason: 'hang-up', at: at(33) });
      await t.app.interactions.recorder.settled();
      const a = await t.app.interactions.store.get(tenantId, 'ivr-only');
      const b = await t.app.interactions.store.get(tenantId, 'queued');
      assert.deepEqual([a.outcome, a.segments[0]?.outcome], ['abandoned-ivr', 'caller-hung-up']);
      assert.deepEqual([b.outcome, b.segments[0]?.outcome], ['abandoned', 'abandoned']);
    });

    test('the caller is the CRM customer with that number; the interaction is on their timeline; erasing them erases its personal data and recordings', async () => {
      const customer = await t.app.customers.create(tenantId, { name: '李雷', identities: [{ kind: 'phone', value: '+86 138 0013 8000' }] });
      const recordings = t.app.media!.recordings;
      const sink = await recordings.create(tenantId, 'rec-erase');
      await sink.append(new Uint8Array(320));
      await sink.finish(new Uint8Array(44));
      t.app.bus.publish('CallArrived', { tenantId, callId: 'known', direction: 'inbound', from: '+8613800138000', to: '8000', at: at(0) });
      t.app.bus.publish('CallRecordingStarted', { tenantId, callId: 'known', recordingId: 'rec-erase' });
      await t.app.interactions.recorder.settled();
      const r = await t.app.interactions.store.get(tenantId, 'known');
      assert.equal(r.customerId, customer.id);
      const timeline = await t.app.customers.timeline(tenantId, customer.id, { limit: 10 });
      assert.ok(timeline.items.some((e) => e.kind === 'interaction' && e.id === 'known'), JSON.stringify(timeline.items));
      assert.ok((await recordings.read(tenantId, 'rec-erase')).ok);

      await t.app.customers.erase(tenantId, customer.id, 'customer asked to be forgotten');
      await t.app.interactions.recorder.settled();
      const erased = await t.app.interactions.store.get(tenantId, 'known');
      assert.deepEqual([erased.customerAddress, erased.recordingId, erased.notes], [null, null, null]);
      const read = await recordings.read(tenantId, 'rec-erase');
      assert.equal(read.ok, false, 'the recording is gone');
    });
    test('erasing a customer also empties their tickets\' subject, comments and attachments, keeping the tickets', async () => {
      const actor = { userId: null, name: 'agent1', ip: null };
      const customer = await t.app.customers.create(tenantId, { name: '韩梅梅', identities: [{ kind: 'email', value: 'meimei@example.com' }] });
      const ticket = await t.app.tickets.create(tenantId, { subject: 'Refund for order 4711 to 韩梅梅', description: 'Card ending 4242', customerId: customer.id }, actor);
      await t.app.tickets.comment(tenantId, ticket.id, { body: 'Called back on 138 0013 8000' }, actor);
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      const file = await t.app.tickets.attach(tenantId, ticket.id, 'id-card.png', Buffer.concat([png, Buffer.alloc(64)]), actor);
      await t.app.customers.erase(tenantId, customer.id, 'customer asked to be forgotten');
      // The tickets domain hears CustomerErased on the bus and erases its copies.
      const gone = () => t.app.tickets.download(tenantId, ticket.id, file.id).then(() => false, () => true);
      for (let i = 0; i < 500 && !(await gone()); i++) await new Promise((r) => setImmediate(r));
      const after = await t.app.tickets.get(tenantId, ticket.id);
      assert.equal(after.number, ticket.number);
      assert.equal(after.subject, '[erased]');
      assert.deepEqual((await t.app.tickets.comments(tenantId, ticket.id)).map((c) => c.body), ['[erased]']);
      await assert.rejects(t.app.tickets.download(tenantId, ticket.id, file.id));
    });
  });
}