// What a closed interaction adds to the rollups, on records built by hand: holds, blind transfers
// to an agent and to a queue, overflows, abandons inside and outside T, short abandons, missed
// offers, and where a contact lands across midnight in the tenant's time zone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Interaction, Segment, SegmentKind } from '../interactions/index.ts';
import { contactFacts, customerDigest, isFinal, outcomeContributions, repeatedBy, repeats, type Contribution, type FactContext } from './contact-facts.ts';
import { RollupRows } from './rollup-rows.ts';

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const seg = (seq: number, kind: SegmentKind, from: number, to: number | null, p: Partial<Segment> = {}): Segment => ({
  seq, kind, agentId: null, queueId: null, startedAt: at(from), endedAt: to === null ? null : at(to), outcome: null, data: null, ...p,
});
const record = (segments: Segment[], p: Partial<Interaction> = {}): Interaction => ({
  id: 'c1', channel: 'voice', direction: 'inbound', customerAddress: '+8613800000001', customerId: null, dialled: '8000', flowId: null, language: null,
  queueId: null, agentId: null, arrivedAt: at(0), ivrEnteredAt: null, ivrLeftAt: null, queuedAt: null, firstOfferedAt: null, answeredAt: null,
  endedAt: at(600), wrapUpEndedAt: null, outcome: null, endedBy: 'customer', offers: 0, transfers: 0, holds: 0, holdMs: 0, disposition: null, notes: null,
  recordingId: null, ivrPath: [], segments, ...p,
});
const ctx: FactContext = { serviceLevelSeconds: (q) => (q === 'q2' ? 30 : 20), shortAbandonSeconds: () => 5 };
const of = (cs: Contribution[], dimension: string, key: string) => cs.filter((c) => c.dimension === dimension && c.key === key);

describe('handled contacts', () => {
  // Queued 10 s after arrival, answered by A after 12 s; A talks 60 s with a 10 s hold, transfers blind to B;
  // A wraps up 5 s; B talks 30 s, then wraps up 20 s with a disposition.
  const i = record([
    seg(1, 'ivr', 0, 10, { outcome: 'queue' }),
    seg(2, 'queue', 10, 22, { queueId: 'q1', outcome: 'answered' }),
    seg(3, 'offer', 14, 22, { agentId: 'A', queueId: 'q1', outcome: 'accepted' }),
    seg(4, 'talk', 22, 82, { agentId: 'A', outcome: 'transferred' }),
    seg(5, 'hold', 40, 50, { agentId: 'A', outcome: 'resumed' }),
    seg(6, 'transfer', 82, 82, { agentId: 'A', outcome: 'agent' }),
    seg(7, 'wrap-up', 82, 87, { agentId: 'A' }),
    seg(8, 'talk', 82, 112, { agentId: 'B', outcome: 'ended-by-customer' }),
    seg(9, 'wrap-up', 112, 132, { agentId: 'B', outcome: 'sale' }),
  ], { answeredAt: at(22), endedAt: at(112), wrapUpEndedAt: at(132), agentId: 'B', disposition: 'sale', outcome: 'answered', transfers: 1 });
  const f = contactFacts(i, ctx);

  test('the queue entry: answered within T after 12 s, and the handling of both agents it led to', () => {
    assert.deepEqual(of(f.contributions, 'queue', 'q1').map((c) => [c.at, c.measures]), [[T0 + 10_000, {
      offered: 1, answered: 1, answeredInSl: 1, waitAnsweredMs: 12_000, handled: 1, talkMs: 80_000, holdMs: 10_000, wrapMs: 25_000, transferred: 1,
    }]]);
  });
  test('each agent: talk without hold, hold in their talk, their own wrap-up, the transfer on the agent who made it', () => {
    assert.deepEqual(of(f.contributions, 'agent', 'A').map((c) => [c.at, c.measures]), [[T0 + 14_000, {
      handled: 1, talkMs: 50_000, holdMs: 10_000, wrapMs: 5_000, transferred: 1, offers: 1, offersAccepted: 1, offersMissed: 0,
    }]]);
    assert.deepEqual(of(f.contributions, 'agent', 'B').map((c) => [c.at, c.measures]), [[T0 + 82_000, {
      handled: 1, talkMs: 30_000, holdMs: 0, wrapMs: 20_000, transferred: 0, offers: 0, offersAccepted: 0, offersMissed: 0,
    }]]);
  });
  test('channel, DID and disposition rows at arrival, with the customer\'s wait', () => {
    for (const [dim, key] of [['channel', 'voice'], ['did', '8000'], ['disposition', 'sale']] as const) {
      const [c] = of(f.contributions, dim, key);
      assert.equal(c?.at, T0);
      assert.equal(c?.measures.answeredInSl, 1);
      assert.equal(c?.measures.waitAnsweredMs, 12_000);
      assert.equal(c?.measures.talkMs, 80_000);
      assert.equal(c?.measures.contacts, 1);
    }
  });
  test('the record: B handled it last, from q1; eligible for first-contact resolution, the number kept only as a digest', () => {
    assert.equal(f.record.agentId, 'B');
    assert.equal(f.record.agentAt, T0 + 82_000);
    assert.equal(f.record.queueId, 'q1');
    assert.equal(f.record.queueAt, T0 + 10_000);
    assert.equal(f.record.fcrEligible, true);
    assert.equal(f.record.customerKey, customerDigest('+8613800000001'));
    assert.ok(!JSON.stringify(f.record).includes('13800000001'));
    assert.deepEqual(outcomeContributions(f.record, { fcrEligible: 1 }).map((c) => `${c.dimension}:${c.key}`).sort(), ['agent:B', 'channel:voice', 'did:8000', 'disposition:sale', 'queue:q1']);
  });
});

describe('queues', () => {
  test('an overflow into a queue with another T: overflowed out of the first, answered in the second from its own entry; the customer waited all along', () => {
    const f = contactFacts(record([
      seg(1, 'queue', 0, 60, { queueId: 'q1', outcome: 'overflow:queue' }),
      seg(2, 'queue', 60, 68, { queueId: 'q2', outcome: 'answered' }),
      seg(3, 'offer', 65, 68, { agentId: 'C', queueId: 'q2', outcome: 'accepted' }),
      seg(4, 'talk', 68, 100, { agentId: 'C' }),
      seg(5, 'wrap-up', 100, 110, { agentId: 'C' }),
    ], { answeredAt: at(68), endedAt: at(100), wrapUpEndedAt: at(110), agentId: 'C' }), ctx);
    assert.deepEqual(of(f.contributions, 'queue', 'q1')[0]?.measures, { offered: 1, overflowed: 1 });
    assert.deepEqual(of(f.contributions, 'queue', 'q2')[0]?.measures, { offered: 1, answered: 1, answeredInSl: 1, waitAnsweredMs: 8_000, handled: 1, talkMs: 32_000, holdMs: 0, wrapMs: 10_000, transferred: 0 });
    const customer = of(f.contributions, 'channel', 'voice')[0]!.measures;
    assert.equal(customer.waitAnsweredMs, 68_000);
    assert.equal(customer.answeredInSl, 0, '68 s against q2\'s 30 s');
  });

  test('overflow out to voicemail: overflowed, never answered', () => {
    const f = contactFacts(record([seg(1, 'queue', 0, 300, { queueId: 'q1', outcome: 'overflow:voicemail' }), seg(2, 'voicemail', 300, 330)], { outcome: 'voicemail' }), ctx);
    assert.deepEqual(of(f.contributions, 'queue', 'q1')[0]?.measures, { offered: 1, overflowed: 1 });
    assert.equal(of(f.contributions, 'channel', 'voice')[0]?.measures.overflowed, 1);
    assert.equal(f.record.fcrEligible, false);
  });

  test('a blind transfer to another queue: each queue keeps the agent it answered with', () => {
    const f = contactFacts(record([
      seg(1, 'queue', 0, 5, { queueId: 'q1', outcome: 'answered' }),
      seg(2, 'offer', 2, 5, { agentId: 'A', queueId: 'q1', outcome: 'accepted' }),
      seg(3, 'talk', 5, 35, { agentId: 'A', outcome: 'transferred' }),
      seg(4, 'transfer', 35, 35, { agentId: 'A', outcome: 'queue' }),
      seg(5, 'wrap-up', 35, 40, { agentId: 'A' }),
      seg(6, 'queue', 35, 75, { queueId: 'q2', outcome: 'answered' }),
      seg(7, 'offer', 70, 75, { agentId: 'B', queueId: 'q2', outcome: 'accepted' }),
      seg(8, 'talk', 75, 95, { agentId: 'B' }),
      seg(9, 'wrap-up', 95, 105, { agentId: 'B' }),
    ], { answeredAt: at(5), endedAt: at(95), wrapUpEndedAt: at(105), agentId: 'B' }), ctx);
    const q1 = of(f.contributions, 'queue', 'q1')[0]!.measures;
    const q2 = of(f.contributions, 'queue', 'q2')[0]!.measures;
    assert.deepEqual([q1.talkMs, q1.wrapMs, q1.transferred], [30_000, 5_000, 1]);
    assert.deepEqual([q2.waitAnsweredMs, q2.answeredInSl, q2.talkMs, q2.wrapMs, q2.transferred], [40_000, 0, 20_000, 10_000, 0]);
    assert.equal(f.record.queueId, 'q2');
  });

  test('abandons: under 5 s is short (and within T), 15 s is within T, 25 s is after T', () => {
    const abandon = (wait: number) => of(contactFacts(record([seg(1, 'queue', 0, wait, { queueId: 'q1', outcome: 'abandoned' })], { endedAt: at(wait), outcome: 'abandoned' }), ctx).contributions, 'queue', 'q1')[0]!.measures;
    assert.deepEqual(abandon(3), { offered: 1, shortAbandoned: 1, shortAbandonedInSl: 1, waitAbandonedMs: 3_000 });
    assert.deepEqual(abandon(5), { offered: 1, abandoned: 1, abandonedInSl: 1, waitAbandonedMs: 5_000 });
    assert.deepEqual(abandon(15), { offered: 1, abandoned: 1, abandonedInSl: 1, waitAbandonedMs: 15_000 });
    assert.deepEqual(abandon(25), { offered: 1, abandoned: 1, abandonedInSl: 0, waitAbandonedMs: 25_000 });
  });

  test('a missed offer counts on the agent who let it ring; the contact is handled by the next', () => {
    const f = contactFacts(record([
      seg(1, 'queue', 0, 40, { queueId: 'q1', outcome: 'answered' }),
      seg(2, 'offer', 1, 21, { agentId: 'A', queueId: 'q1', outcome: 'timeout' }),
      seg(3, 'offer', 21, 40, { agentId: 'B', queueId: 'q1', outcome: 'accepted' }),
      seg(4, 'talk', 40, 100, { agentId: 'B' }),
      seg(5, 'wrap-up', 100, 100, { agentId: 'B' }),
    ], { answeredAt: at(40), endedAt: at(100), wrapUpEndedAt: at(100), agentId: 'B' }), ctx);
    assert.deepEqual(of(f.contributions, 'agent', 'A')[0]?.measures, { handled: 0, talkMs: 0, holdMs: 0, wrapMs: 0, transferred: 0, offers: 1, offersAccepted: 0, offersMissed: 1 });
    assert.equal(of(f.contributions, 'channel', 'voice')[0]?.measures.offersMissed, 1);
    assert.equal(of(f.contributions, 'queue', 'q1')[0]?.measures.answeredInSl, 0);
  });
});

describe('records and periods', () => {
  test('a record is final once it ended and, if answered, its wrap-up is over', () => {
    assert.equal(isFinal({ endedAt: null, answeredAt: null, wrapUpEndedAt: null }), false);
    assert.equal(isFinal({ endedAt: at(1), answeredAt: null, wrapUpEndedAt: null }), true);
    assert.equal(isFinal({ endedAt: at(1), answeredAt: at(0), wrapUpEndedAt: null }), false);
    assert.equal(isFinal({ endedAt: at(1), answeredAt: at(0), wrapUpEndedAt: at(2) }), true);
  });

  test('a call queued at 23:59:55 in Shanghai and answered after midnight counts on the day and in the interval it was queued', () => {
    const queued = Date.UTC(2026, 2, 2, 15, 59, 55);
    const iso = (ms: number) => new Date(ms).toISOString();
    const i = record([
      { seq: 1, kind: 'queue', agentId: null, queueId: 'q1', startedAt: iso(queued), endedAt: iso(queued + 10_000), outcome: 'answered', data: null },
      { seq: 2, kind: 'offer', agentId: 'A', queueId: 'q1', startedAt: iso(queued + 5_000), endedAt: iso(queued + 10_000), outcome: 'accepted', data: null },
      { seq: 3, kind: 'talk', agentId: 'A', queueId: null, startedAt: iso(queued + 10_000), endedAt: iso(queued + 70_000), outcome: null, data: null },
    ], { arrivedAt: iso(queued - 30_000), answeredAt: iso(queued + 10_000), endedAt: iso(queued + 70_000), wrapUpEndedAt: iso(queued + 70_000), agentId: 'A' });
    const rows = new RollupRows('Asia/Shanghai');
    rows.add(contactFacts(i, ctx).contributions);
    const queue = rows.rows().filter((r) => r.dimension === 'queue');
    assert.deepEqual(queue.map((r) => [r.grain, r.period]).sort(), [['15m', '2026-03-02T15:45:00.000Z'], ['day', '2026-03-02']]);
    const agent = rows.rows().filter((r) => r.dimension === 'agent');
    assert.deepEqual(agent.map((r) => [r.grain, r.period]).sort(), [['15m', '2026-03-02T16:00:00.000Z'], ['day', '2026-03-03']], 'the agent\'s part begins after midnight');
  });

  test('a repeat is a later inbound contact of the same customer within the window', () => {
    const first = { customerKey: 'k', arrivedAt: T0 };
    assert.equal(repeats({ customerKey: 'k', inbound: true, arrivedAt: T0 + 7 * 86_400_000 }, first, 7), true);
    assert.equal(repeats({ customerKey: 'k', inbound: true, arrivedAt: T0 + 7 * 86_400_000 + 1 }, first, 7), false);
    assert.equal(repeats({ customerKey: 'k', inbound: false, arrivedAt: T0 + 1000 }, first, 7), false, 'a callback we placed is no repeat');
    assert.equal(repeats({ customerKey: 'other', inbound: true, arrivedAt: T0 + 1000 }, first, 7), false);
  });

  test('the contacts a set of later ones repeats, for any contacts: exactly those that some later contact repeats', () => {
    const contact = fc.record({
      interactionId: fc.uuid(), customerKey: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: null }), inbound: fc.boolean(),
      // Arrivals on a coarse grid so that equal arrivals and waits of exactly the window are common.
      arrivedAt: fc.integer({ min: 0, max: 40 }).map((h) => T0 + h * 6 * 3_600_000),
    });
    fc.assert(fc.property(fc.array(contact, { maxLength: 30 }), fc.array(contact, { maxLength: 30 }), fc.integer({ min: 0, max: 3 }), (contacts, later, days) => {
      const expected = new Set(contacts.filter((c) => later.some((l) => repeats(l, c, days))).map((c) => c.interactionId));
      assert.deepEqual(repeatedBy(contacts, later, days), expected);
    }), { numRuns: 2000 });
  });
});
