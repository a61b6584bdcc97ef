import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CurrentWork } from './current-work.ts';

const T = 'tenant-a';
const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 9, 0, s)).toISOString();

/** A caller through the IVR into the Support queue, offered to agent a1. */
function offered(w: CurrentWork, callId = 'c1', agentId = 'a1') {
  w.apply('CallArrived', { tenantId: T, callId, direction: 'inbound', from: '13800138000', to: '8000', at: at(0) });
  w.apply('IvrLeft', { tenantId: T, callId, flowId: 'f', at: at(5), exit: 'queue', queueId: 'q-support', language: 'en', path: [{ node: 'language', type: 'menu', input: '1' }, { node: 'support', type: 'queue' }] });
  w.apply('ContactQueued', { tenantId: T, contactId: callId, queueId: 'q-support', channel: 'voice', priority: 0, kind: 'contact', at: at(5) });
  return w.apply('OfferCreated', { tenantId: T, contactId: callId, offerId: `o-${callId}`, agentId, queueId: 'q-support', channel: 'voice', at: at(6) });
}

test('an offer: the agent sees it with the caller, IVR path and queue; accepting clears it, connecting sets the call', () => {
  const w = new CurrentWork();
  assert.deepEqual(offered(w), ['a1']);
  assert.deepEqual(w.work(T, 'a1').offer, { offerId: 'o-c1', contactId: 'c1', queueId: 'q-support', at: at(6) });
  const facts = w.facts(T, 'c1')!;
  assert.equal(facts.caller, '13800138000');
  assert.equal(facts.language, 'en');
  assert.deepEqual(facts.ivrPath.map((s) => `${s.node}:${s.input ?? ''}`), ['language:1', 'support:']);
  assert.equal(facts.queueId, 'q-support');

  assert.deepEqual(w.apply('CallConnected', { tenantId: T, callId: 'c1', agentId: 'a1', at: at(9) }), ['a1']);
  assert.deepEqual(w.apply('OfferAccepted', { tenantId: T, contactId: 'c1', offerId: 'o-c1', agentId: 'a1', queueId: 'q-support', at: at(9) }), ['a1']);
  const work = w.work(T, 'a1');
  assert.equal(work.offer, null);
  assert.deepEqual(work.call, { callId: 'c1', queueId: 'q-support', connectedAt: at(9), held: false, heldSince: null });
  assert.equal(w.agentOfCall(T, 'c1'), 'a1');
});

test('an offer declined for another reason than accepted is gone; a stale decline does not clear a newer offer', () => {
  const w = new CurrentWork();
  offered(w);
  w.apply('OfferDeclined', { tenantId: T, contactId: 'c1', offerId: 'o-c1', agentId: 'a1', queueId: 'q-support', reason: 'rejected', at: at(8) });
  assert.equal(w.work(T, 'a1').offer, null);
  offered(w, 'c2');
  w.apply('OfferDeclined', { tenantId: T, contactId: 'c1', offerId: 'o-c1', agentId: 'a1', queueId: 'q-support', reason: 'timeout', at: at(9) });
  assert.equal(w.work(T, 'a1').offer?.offerId, 'o-c2');
});

test('the IVR path learnt after the offer (IvrLeft follows the enqueue) concerns the agent offered', () => {
  const w = new CurrentWork();
  w.apply('CallArrived', { tenantId: T, callId: 'c9', direction: 'inbound', from: '13800138000', to: '8000', at: at(0) });
  w.apply('ContactQueued', { tenantId: T, contactId: 'c9', queueId: 'q', channel: 'voice', priority: 0, kind: 'contact', at: at(5) });
  w.apply('OfferCreated', { tenantId: T, contactId: 'c9', offerId: 'o9', agentId: 'a1', queueId: 'q', channel: 'voice', at: at(5) });
  assert.deepEqual(w.facts(T, 'c9')?.ivrPath, []);
  assert.deepEqual(w.apply('IvrLeft', { tenantId: T, callId: 'c9', flowId: 'f', at: at(5), exit: 'queue', queueId: 'q', language: 'cmn', path: [{ node: 'main', type: 'menu', input: '2' }] }), ['a1']);
  assert.equal(w.facts(T, 'c9')?.language, 'cmn');
  w.apply('OfferDeclined', { tenantId: T, contactId: 'c9', offerId: 'o9', agentId: 'a1', queueId: 'q', reason: 'timeout', at: at(30) });
  assert.deepEqual(w.apply('IvrLeft', { tenantId: T, callId: 'c9', flowId: 'f', at: at(31), exit: 'queue', queueId: 'q', language: 'cmn', path: [] }), [], 'nobody holds it any more');
});

test('hold and resume mark the call; the agent connected is the one concerned', () => {
  const w = new CurrentWork();
  offered(w);
  w.apply('CallConnected', { tenantId: T, callId: 'c1', agentId: 'a1', at: at(9) });
  assert.deepEqual(w.apply('CallHeld', { tenantId: T, callId: 'c1', agentId: 'a1', at: at(20) }), ['a1']);
  assert.deepEqual(w.work(T, 'a1').call && { held: w.work(T, 'a1').call!.held, since: w.work(T, 'a1').call!.heldSince }, { held: true, since: at(20) });
  w.apply('CallResumed', { tenantId: T, callId: 'c1', agentId: 'a1', at: at(30) });
  assert.equal(w.work(T, 'a1').call?.held, false);
  assert.deepEqual(w.apply('CallHeld', { tenantId: T, callId: 'unknown', agentId: null, at: at(31) }), []);
});

test('a transfer to a second agent: the first loses the call and wraps up, the second has it; the end reaches the second', () => {
  const w = new CurrentWork();
  offered(w);
  w.apply('CallConnected', { tenantId: T, callId: 'c1', agentId: 'a1', at: at(9) });
  assert.deepEqual(w.apply('CallTransferred', { tenantId: T, callId: 'c1', fromAgentId: 'a1', target: { kind: 'agent', id: 'a2' }, mode: 'blind', at: at(40) }), ['a1']);
  assert.equal(w.work(T, 'a1').call, null);
  assert.deepEqual(w.apply('WrapUpStarted', { tenantId: T, contactId: 'c1', agentId: 'a1', at: at(40) }), ['a1']);
  assert.deepEqual(w.work(T, 'a1').wrapUp, { contactId: 'c1', queueId: 'q-support', startedAt: at(40) });
  assert.deepEqual(w.apply('CallConnected', { tenantId: T, callId: 'c1', agentId: 'a2', at: at(42) }), ['a2']);
  assert.equal(w.work(T, 'a2').call?.callId, 'c1');
  assert.deepEqual(w.apply('CallEnded', { tenantId: T, callId: 'c1', endedBy: 'customer', reason: 'bye', at: at(60) }), ['a2']);
  assert.equal(w.work(T, 'a2').call, null);
  w.apply('WrapUpEnded', { tenantId: T, contactId: 'c1', agentId: 'a1', disposition: 'Escalated', at: at(61) });
  assert.equal(w.work(T, 'a1').wrapUp, null);
  assert.deepEqual(w.agentsOf(T, 'c1').sort(), ['a1', 'a2']);
  assert.deepEqual(w.apply('InteractionClosed', { tenantId: T, interactionId: 'c1', outcome: 'answered', at: at(70) }).sort(), ['a1', 'a2']);
  assert.equal(w.facts(T, 'c1'), undefined, 'facts are dropped once the interaction is closed');
  assert.deepEqual(w.agentsOf(T, 'c1'), []);
});

test('a connection without a transfer event (the call moved) releases the previous agent', () => {
  const w = new CurrentWork();
  offered(w);
  w.apply('CallConnected', { tenantId: T, callId: 'c1', agentId: 'a1', at: at(9) });
  assert.deepEqual(w.apply('CallConnected', { tenantId: T, callId: 'c1', agentId: 'a2', at: at(30) }), ['a1', 'a2']);
  assert.equal(w.work(T, 'a1').call, null);
  assert.deepEqual(w.apply('CallConnected', { tenantId: T, callId: 'c1', agentId: null, at: at(50) }), ['a2'], 'an outside number took it');
  assert.equal(w.agentOfCall(T, 'c1'), undefined);
});

test('a callback names the number it calls; tenants never see each other\'s work', () => {
  const w = new CurrentWork();
  w.apply('CallbackRequested', { tenantId: T, callId: 'cb1', originalCallId: 'c0', number: '+8613900139000', queueId: 'q', at: at(0) });
  assert.equal(w.facts(T, 'cb1')?.caller, '+8613900139000');
  assert.equal(w.facts(T, 'cb1')?.direction, 'outbound');
  offered(w);
  assert.equal(w.work('tenant-b', 'a1').offer, null);
  assert.equal(w.facts('tenant-b', 'c1'), undefined);
});

test('facts are bounded: the oldest contacts are dropped first', () => {
  const w = new CurrentWork(3);
  for (const id of ['c1', 'c2', 'c3', 'c4']) w.apply('CallArrived', { tenantId: T, callId: id, direction: 'inbound', from: id, to: '8000', at: at(0) });
  assert.equal(w.facts(T, 'c1'), undefined);
  assert.equal(w.facts(T, 'c4')?.caller, 'c4');
});

/** A ticket routed as a task into the Support queue, offered to agent a1 (a call may be offered to them at the same time). */
function taskOffered(w: CurrentWork, contactId: string, agentId = 'a1', s = 10) {
  w.apply('ContactArrived', { tenantId: T, contactId, channel: 'task', direction: 'inbound', from: 'cust-1', to: 'q-support', reference: { kind: 'ticket', id: `ticket-${contactId}` }, at: at(s) });
  w.apply('ContactQueued', { tenantId: T, contactId, queueId: 'q-support', channel: 'task', priority: 1, kind: 'contact', at: at(s) });
  return w.apply('OfferCreated', { tenantId: T, contactId, offerId: `o-${contactId}`, agentId, queueId: 'q-support', channel: 'task', at: at(s + 1) });
}

test('tasks: offers sit beside a call\'s offer; accepted they are held until their contact ends; declined they go', () => {
  const w = new CurrentWork();
  offered(w);
  assert.deepEqual(taskOffered(w, 't1'), ['a1']);
  taskOffered(w, 't2', 'a1', 12);
  const work = w.work(T, 'a1');
  assert.equal(work.offer?.contactId, 'c1', 'the call\'s offer is not replaced');
  assert.deepEqual(work.taskOffers.map((o) => o.offerId), ['o-t1', 'o-t2']);
  assert.deepEqual([w.facts(T, 't1')?.channel, w.facts(T, 't1')?.ticketId], ['task', 'ticket-t1']);
  assert.deepEqual(w.apply('OfferAccepted', { tenantId: T, contactId: 't1', offerId: 'o-t1', agentId: 'a1', queueId: 'q-support', at: at(20) }), ['a1']);
  w.apply('OfferDeclined', { tenantId: T, contactId: 't2', offerId: 'o-t2', agentId: 'a1', queueId: 'q-support', reason: 'rejected', at: at(21) });
  const after = w.work(T, 'a1');
  assert.deepEqual(after.tasks, [{ contactId: 't1', queueId: 'q-support', acceptedAt: at(20) }]);
  assert.deepEqual(after.taskOffers, []);
  assert.equal(after.offer?.contactId, 'c1');
  assert.deepEqual(w.apply('ContactEnded', { tenantId: T, contactId: 't1', endedBy: 'agent', reason: 'resolved', at: at(90) }), ['a1']);
  assert.deepEqual(w.work(T, 'a1').tasks, []);
  assert.deepEqual(w.apply('ContactEnded', { tenantId: T, contactId: 't2', endedBy: 'system', reason: 'assigned-elsewhere', at: at(91) }), [], 'nobody held it');
  assert.deepEqual(w.work('tenant-b', 'a1').tasks, []);
});

test('a task restored after a restart is the agent\'s again (once, however often it is told), until it ends; other channels are not tasks', () => {
  const w = new CurrentWork();
  const restored = { tenantId: T, contactId: 't9', queueId: 'q-back', channel: 'task', agentId: 'a1', at: at(30) };
  assert.deepEqual(w.apply('ContactRestored', restored), ['a1']);
  assert.deepEqual(w.apply('ContactRestored', restored), ['a1']);
  assert.deepEqual(w.work(T, 'a1').tasks, [{ contactId: 't9', queueId: 'q-back', acceptedAt: at(30) }]);
  assert.equal(w.facts(T, 't9')?.queueId, 'q-back');
  assert.deepEqual(w.apply('ContactRestored', { ...restored, contactId: 'v1', channel: 'voice' }), []);
  assert.deepEqual(w.apply('ContactEnded', { tenantId: T, contactId: 't9', endedBy: 'agent', reason: 'resolved', at: at(40) }), ['a1']);
  assert.deepEqual(w.work(T, 'a1').tasks, []);
});
