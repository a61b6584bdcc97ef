// The agent desktop's and wallboard's pure state: what each live message does to the page, the
// reconnect backoff, the IVR path as text, durations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMessage, ivrText } from '../../web/src/pages/agent/desk-state.ts';
import type { CallView, DeskState, OfferView, TaskOfferView, TaskView, WrapUpView } from '../../web/src/pages/agent/desk-api.ts';
import { backoffMs } from '../../web/src/pages/agent/live-socket.ts';
import { formatDuration } from '../../web/src/pages/agent/time.ts';
import { mergeWallboard, type Wallboard, type WallboardQueue } from '../../web/src/pages/supervisor/wallboard-state.ts';

const ME = 'agent-1';
const contact = { contactId: 'c1', caller: '13800138000', dialled: '8000', direction: 'inbound', language: 'en', ivrPath: [], queueId: 'q', queueName: 'Support' };
const offer: OfferView = { ...contact, offerId: 'o1', at: '2026-11-22T01:00:00.000Z', timeoutSeconds: 20 };
const call: CallView = { ...contact, callId: 'c1', connectedAt: '2026-11-22T01:00:05.000Z', held: false, heldSince: null };
const wrapUp: WrapUpView = { ...contact, startedAt: '2026-11-22T01:03:00.000Z', wrapUpSeconds: 30, dispositions: ['Resolved'] };
const idle: DeskState = {
  agent: { state: 'Available', reason: null, stateSince: '2026-11-22T00:59:00.000Z', pending: null },
  settings: { stationPhoneId: null, autoAnswer: false }, phones: [], reasons: ['break'], work: { offer: null, call: null, wrapUp: null, taskOffers: [], tasks: [] },
};

test('a call from offer to wrap-up: each message moves the desk on', () => {
  let d = applyMessage(idle, { type: 'offer.created', offer }, ME);
  assert.equal(d.work.offer?.offerId, 'o1');
  d = applyMessage(d, { type: 'call.connected', call }, ME);
  assert.equal(d.work.offer, null, 'answering ends the offer of that contact');
  assert.equal(d.work.call?.callId, 'c1');
  d = applyMessage(d, { type: 'offer.ended', offerId: 'o1', contactId: 'c1', reason: 'accepted' }, ME);
  d = applyMessage(d, { type: 'call.held', callId: 'c1', at: '2026-11-22T01:01:00.000Z' }, ME);
  assert.deepEqual([d.work.call?.held, d.work.call?.heldSince], [true, '2026-11-22T01:01:00.000Z']);
  d = applyMessage(d, { type: 'call.resumed', callId: 'c1', at: '2026-11-22T01:01:30.000Z' }, ME);
  assert.deepEqual([d.work.call?.held, d.work.call?.heldSince], [false, null]);
  d = applyMessage(d, { type: 'call.held', callId: 'another', at: '2026-11-22T01:02:00.000Z' }, ME);
  assert.equal(d.work.call?.held, false, 'another call\'s hold changes nothing');
  d = applyMessage(d, { type: 'wrapup.started', wrapUp }, ME);
  assert.equal(d.work.call, null, 'wrap-up of the contact ends its call');
  assert.deepEqual(d.work.wrapUp?.dispositions, ['Resolved']);
  d = applyMessage(d, { type: 'wrapup.ended', contactId: 'c1', disposition: 'Resolved' }, ME);
  assert.deepEqual(d.work, { offer: null, call: null, wrapUp: null, taskOffers: [], tasks: [] });
});

test('a stale end does not clear newer work; a transfer or hang-up ends the call', () => {
  let d = applyMessage(idle, { type: 'offer.created', offer: { ...offer, offerId: 'o2' } }, ME);
  d = applyMessage(d, { type: 'offer.ended', offerId: 'o1', contactId: 'c1', reason: 'timeout' }, ME);
  assert.equal(d.work.offer?.offerId, 'o2');
  d = applyMessage({ ...idle, work: { ...idle.work, call } }, { type: 'call.transferred', callId: 'c1', target: { kind: 'agent', id: 'a2' }, mode: 'blind' }, ME);
  assert.equal(d.work.call, null);
  d = applyMessage({ ...idle, work: { ...idle.work, call } }, { type: 'call.ended', callId: 'c1', endedBy: 'customer' }, ME);
  assert.equal(d.work.call, null);
  d = applyMessage({ ...idle, work: { ...idle.work, call } }, { type: 'work.changed', work: { offer: null, call: { ...call, language: 'cmn' }, wrapUp: null, taskOffers: [], tasks: [] } }, ME);
  assert.equal(d.work.call?.language, 'cmn', 'the whole work replaced');
});

test('tasks: tasks.changed replaces the task offers and tasks, leaving the call and its offer as they are', () => {
  const ticket = { id: 't1', number: 7, subject: 'Refund', priority: 'high', status: 'new', statusName: 'New', statusCategory: 'open', customerId: null, customerName: null, resolveThrough: ['in_progress', 'resolved'] };
  const taskOffer: TaskOfferView = { offerId: 'o-t1', contactId: 'w1', queueId: 'q', queueName: 'Back office', at: '2026-11-22T01:00:00.000Z', timeoutSeconds: 30, ticket };
  const task: TaskView = { contactId: 'w1', queueId: 'q', queueName: 'Back office', acceptedAt: '2026-11-22T01:00:10.000Z', ticket };
  let d = applyMessage({ ...idle, work: { ...idle.work, call, offer } }, { type: 'tasks.changed', taskOffers: [taskOffer], tasks: [] }, ME);
  assert.deepEqual([d.work.taskOffers.map((o) => o.offerId), d.work.call?.callId, d.work.offer?.offerId], [['o-t1'], 'c1', 'o1']);
  d = applyMessage(d, { type: 'tasks.changed', taskOffers: [], tasks: [task] }, ME);
  assert.deepEqual([d.work.taskOffers, d.work.tasks.map((x) => x.ticket?.number)], [[], [7]]);
  d = applyMessage(d, { type: 'tasks.changed', taskOffers: [], tasks: [] }, ME);
  assert.deepEqual(d.work.tasks, []);
});

test('state changes: only mine; a chosen state clears what was pending, Busy and wrap-up keep it', () => {
  const pending: DeskState = { ...idle, agent: { state: 'Busy', reason: null, stateSince: 'x', pending: { state: 'NotReady', reason: 'lunch' } } };
  assert.equal(applyMessage(pending, { type: 'agent.state', agentId: 'someone-else', state: 'Offline', reason: null, since: 'y' }, ME), pending);
  const acw = applyMessage(pending, { type: 'agent.state', agentId: ME, state: 'AfterCallWork', reason: null, since: 'y' }, ME);
  assert.deepEqual(acw.agent, { state: 'AfterCallWork', reason: null, stateSince: 'y', pending: { state: 'NotReady', reason: 'lunch' } });
  const lunch = applyMessage(acw, { type: 'agent.state', agentId: ME, state: 'NotReady', reason: 'lunch', since: 'z' }, ME);
  assert.deepEqual(lunch.agent, { state: 'NotReady', reason: 'lunch', stateSince: 'z', pending: null });
  assert.equal(applyMessage(idle, { type: 'user.changed', userId: ME }, ME), idle, 'other messages are ignored');
});

test('the IVR path reads as the menus and the keys pressed in them', () => {
  assert.equal(ivrText([
    { node: 'language', type: 'menu', input: '1' }, { node: 'english', type: 'setLanguage', input: 'en' }, { node: 'hours', type: 'businessHours', outcome: 'open' },
    { node: 'main', type: 'menu', input: '2' }, { node: 'support', type: 'queue', outcome: 'q' },
  ]), 'language 1 → english → hours → main 2 → support');
  assert.equal(ivrText([]), '—');
});

test('reconnect backoff: doubling from 0.5 s to at most 15 s, each between half and all of its ceiling', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffMs(n, () => 1)), [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  assert.deepEqual([0, 1, 5].map((n) => backoffMs(n, () => 0)), [250, 500, 7500]);
});

test('durations as m:ss and h:mm:ss', () => {
  assert.deepEqual([0, 999, 75_000, 600_000, 3_725_000, -5000].map(formatDuration), ['0:00', '0:00', '1:15', '10:00', '1:02:05', '0:00']);
});

test('a queue\'s new figures replace its card, a new queue is added, a whole board replaces all', () => {
  const q = (queueId: string, waiting: number): WallboardQueue => ({
    queueId, name: queueId, waiting, longestWaitMs: 0, agentsByState: {},
    today: { offered: 0, answered: 0, abandoned: 0, shortAbandoned: 0, serviceLevel: null, asaSeconds: null, ahtSeconds: null },
  });
  const board: Wallboard = { queues: [q('sales', 0), q('support', 0)], agents: [] };
  const one = mergeWallboard(board, { type: 'wallboard.changed', queue: q('support', 3) })!;
  assert.deepEqual(one.queues.map((x) => [x.queueId, x.waiting]), [['sales', 0], ['support', 3]]);
  assert.deepEqual(mergeWallboard(one, { type: 'wallboard.changed', queue: q('billing', 1) })!.queues.map((x) => x.queueId), ['sales', 'support', 'billing']);
  assert.deepEqual(mergeWallboard(one, { type: 'wallboard.changed', wallboard: { queues: [], agents: [] } }), { queues: [], agents: [] });
  assert.equal(mergeWallboard(undefined, { type: 'wallboard.changed', queue: q('x', 1) }), undefined, 'nothing to merge into before the first read');
});
