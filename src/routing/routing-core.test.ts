// The rules of README.md, each tested on both implementations, then a property test that drives
// RoutingCore and ReferenceMatcher with the same random event sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '../kernel/index.ts';
import {
  ReferenceMatcher, RoutingCore, RoutingError, type Agent, type Channel, type Contact, type ContactDistributor, type Queue, type RoutingDecision,
} from './index.ts';

const T0 = Date.UTC(2026, 0, 1);
const S = 1000;

const IMPLEMENTATIONS: [string, () => ContactDistributor][] = [['RoutingCore', () => new RoutingCore()], ['ReferenceMatcher', () => new ReferenceMatcher()]];

/** A rule's test, run once per implementation. */
function rule(name: string, body: (r: ContactDistributor) => void): void {
  for (const [impl, make] of IMPLEMENTATIONS) test(`${name} [${impl}]`, () => body(make()));
}

const queue = (id: string, extra: Partial<Queue> = {}): Queue => ({ id, priority: 0, strategy: 'longest-idle', requirements: [], relaxation: [], ...extra });
const offer = (contactId: string, agentId: string, queueId = 'q'): RoutingDecision => ({ type: 'offer', contactId, agentId, queueId });
const contact = (id: string, enqueuedAt: number, extra: Partial<Contact> = {}): Contact => ({ id, queueId: 'q', channel: 'voice', enqueuedAt, ...extra });

function available(r: ContactDistributor, id: string, at: number, skills: Agent['skills'] = {}, capacity: Agent['capacity'] = {}): RoutingDecision[] {
  r.upsertAgent({ id, skills, capacity }, at);
  return r.setAgentState(id, 'Available', at);
}

function routingError(code: string): (e: unknown) => boolean {
  return (e) => e instanceof RoutingError && e instanceof DomainError && e.code === code;
}

rule('eligibility: work goes only to an Available agent whose load is below capacity (voice 1, other channels 0 by default)', (r) => {
  r.upsertQueue(queue('q'), T0);
  r.upsertAgent({ id: 'a', skills: {}, capacity: {} }, T0);
  assert.deepEqual(r.enqueue(contact('v1', T0), T0), [], 'an Offline agent gets nothing');
  assert.deepEqual(r.setAgentState('a', 'NotReady', T0, 'break'), []);
  assert.deepEqual(r.setAgentState('a', 'Available', T0 + 1), [offer('v1', 'a')]);
  assert.equal(r.agent('a')?.load.voice, 1, 'the offer reserves a unit of load at once');
  assert.deepEqual(r.enqueue(contact('v2', T0 + 2), T0 + 2), [], 'voice capacity 1 is taken');
  assert.deepEqual(r.enqueue(contact('c1', T0 + 3, { channel: 'chat' }), T0 + 3), [], 'chat capacity defaults to 0');
  r.offerAccepted('v1', T0 + 4);
  assert.deepEqual(r.agent('a')?.load.voice, 1, 'an accepted contact keeps its unit');
  assert.deepEqual(r.contactEnded('v1', T0 + 5), [offer('v2', 'a')]);
  r.setAgentState('a', 'Busy', T0 + 6);
  r.offerAccepted('v2', T0 + 6);
  assert.deepEqual(r.contactEnded('v2', T0 + 7), [], 'a Busy agent with free capacity is not offered work');
  assert.deepEqual(r.agent('a')?.load, { voice: 0, chat: 0, email: 0, message: 0, task: 0 });
});

rule('a restored assignment (a work item an agent held before a restart) takes their capacity until it ends, and is never offered', (r) => {
  r.upsertQueue(queue('q'), T0);
  r.upsertAgent({ id: 'a', skills: {}, capacity: { task: 1 } }, T0);
  assert.deepEqual(r.restoreAssigned(contact('held', T0 - 60 * S, { channel: 'task' }), 'a', T0), []);
  assert.deepEqual([r.contact('held')?.status, r.contact('held')?.agentId, r.agent('a')?.load.task], ['assigned', 'a', 1]);
  assert.deepEqual(r.setAgentState('a', 'Available', T0 + 1), []);
  assert.deepEqual(r.enqueue(contact('next', T0 + 2, { channel: 'task' }), T0 + 2), [], 'task capacity 1 is held by the restored item');
  assert.equal(r.position('held', T0 + 2), 0);
  assert.deepEqual(r.contactEnded('held', T0 + 3), [offer('next', 'a')]);
  assert.throws(() => r.restoreAssigned(contact('next', T0, { channel: 'task' }), 'a', T0 + 4), routingError('SB_ROUTING_CONTACT_EXISTS'));
  assert.throws(() => r.restoreAssigned(contact('x', T0, { channel: 'task' }), 'nobody', T0 + 4), routingError('SB_ROUTING_UNKNOWN_AGENT'));
});

rule('effective requirements: the queue\'s and the contact\'s requirements, the higher minimum for the same skill', (r) => {
  r.upsertQueue(queue('q', { requirements: [{ skill: 'en', minProficiency: 2 }] }), T0);
  available(r, 'x', T0, { en: 3, 'lang:cmn': 5 });
  available(r, 'y', T0 + 1, { en: 4, 'lang:cmn': 1 });
  available(r, 'z', T0 + 2, { 'lang:cmn': 5 });
  const needs = [{ skill: 'en', minProficiency: 4 }, { skill: 'lang:cmn', minProficiency: 1 }];
  assert.deepEqual(r.enqueue(contact('c', T0 + 3, { requirements: needs }), T0 + 3), [offer('c', 'y')]);
  assert.deepEqual(r.enqueue(contact('d', T0 + 4, { requirements: [{ skill: 'en', minProficiency: 1 }] }), T0 + 4), [offer('d', 'x')], 'the queue\'s en ≥ 2 still applies');
  assert.deepEqual(r.enqueue(contact('e', T0 + 5), T0 + 5), [], 'z lacks en');
});

rule('relaxation: due steps apply cumulatively and in order, to the contact\'s own requirements too; tick re-matches the relaxed contacts', (r) => {
  r.upsertQueue(queue('q', {
    requirements: [{ skill: 'bill', minProficiency: 3 }],
    relaxation: [
      { afterSeconds: 10, lower: [{ skill: 'bill', minProficiency: 2 }, { skill: 'lang:cmn', minProficiency: 1 }] },
      { afterSeconds: 20, drop: ['bill'] },
    ],
  }), T0);
  available(r, 'p', T0, { bill: 2, 'lang:cmn': 1 });
  available(r, 's', T0, { 'lang:cmn': 2 });
  const cmn3 = [{ skill: 'lang:cmn', minProficiency: 3 }];
  assert.deepEqual(r.enqueue(contact('c1', T0, { requirements: cmn3 }), T0), []);
  assert.deepEqual(r.enqueue(contact('c2', T0, { requirements: cmn3 }), T0), []);
  assert.deepEqual(r.tick(T0 + 10 * S - 1), [], 'nothing is due yet');
  assert.deepEqual(r.tick(T0 + 10 * S), [offer('c1', 'p')], 'bill ≥ 2 and lang:cmn ≥ 1: p matches; c2 still needs bill');
  assert.deepEqual(r.tick(T0 + 15 * S), [], 'no step came due since the last tick');
  assert.deepEqual(r.tick(T0 + 20 * S), [offer('c2', 's')], 'bill dropped: lang:cmn ≥ 1 remains');
});

rule('relaxation: within a step drop comes before lower, and lower never adds a skill', (r) => {
  r.upsertQueue(queue('q', {
    requirements: [{ skill: 'bill', minProficiency: 3 }],
    relaxation: [{ afterSeconds: 0, drop: ['bill'], lower: [{ skill: 'bill', minProficiency: 1 }, { skill: 'en', minProficiency: 1 }] }],
  }), T0);
  available(r, 'a', T0, { zh: 1 });
  assert.deepEqual(r.enqueue(contact('c', T0), T0), [offer('c', 'a')]);
});

rule('relaxation: requirements are those in force at `now`, so a free agent sees a due step before the next tick', (r) => {
  r.upsertQueue(queue('q', { requirements: [{ skill: 'bill', minProficiency: 3 }], relaxation: [{ afterSeconds: 10, drop: ['bill'] }] }), T0);
  assert.deepEqual(r.enqueue(contact('c', T0), T0), []);
  assert.deepEqual(available(r, 'a', T0 + 5 * S, { en: 1 }), []);
  r.setAgentState('a', 'NotReady', T0 + 6 * S, 'break');
  assert.deepEqual(r.setAgentState('a', 'Available', T0 + 11 * S), [offer('c', 'a')]);
  assert.deepEqual(r.tick(T0 + 12 * S), []);
});

rule('rule 1: the matching agent with the highest sum of proficiencies over the effective requirement skills wins', (r) => {
  r.upsertQueue(queue('q', { requirements: [{ skill: 'en', minProficiency: 1 }, { skill: 'bill', minProficiency: 1 }] }), T0);
  available(r, 'a', T0, { en: 5, bill: 1, zh: 5 });
  available(r, 'b', T0 + 1, { en: 3, bill: 4 });
  available(r, 'c', T0 + 2, { en: 5 });
  assert.deepEqual(r.enqueue(contact('k', T0 + 3), T0 + 3), [offer('k', 'b')], 'b: 7 beats a: 6 (zh is not required); c lacks bill');
  assert.deepEqual(r.enqueue(contact('l', T0 + 4), T0 + 4), [offer('l', 'a')]);
});

rule('rule 1, longest-idle: ties go to the earliest idleSince (start of Available, or the end of the last contact)', (r) => {
  r.upsertQueue(queue('q'), T0);
  for (const id of ['a', 'b', 'c']) r.upsertAgent({ id, skills: {}, capacity: {} }, T0);
  r.setAgentState('b', 'Available', T0 + 1);
  r.setAgentState('c', 'Available', T0 + 2);
  r.setAgentState('a', 'Available', T0 + 3);
  assert.deepEqual(r.enqueue(contact('k1', T0 + 5), T0 + 5), [offer('k1', 'b')]);
  r.offerAccepted('k1', T0 + 6);
  assert.deepEqual(r.contactEnded('k1', T0 + 10), []);
  assert.equal(r.agent('b')?.idleSince, T0 + 10);
  assert.deepEqual(r.enqueue(contact('k2', T0 + 11), T0 + 11), [offer('k2', 'c')]);
  assert.deepEqual(r.enqueue(contact('k3', T0 + 12), T0 + 12), [offer('k3', 'a')]);
  assert.deepEqual(r.enqueue(contact('k4', T0 + 13), T0 + 13), [offer('k4', 'b')]);
});

rule('rule 1, least-occupied: ties go to the lowest busy/(busy+available) since login, then the earliest idleSince', (r) => {
  r.upsertQueue(queue('q', { strategy: 'least-occupied' }), T0);
  for (const id of ['a', 'b', 'c', 'd', 'e']) r.upsertAgent({ id, skills: {}, capacity: {} }, T0);
  // Occupancy at T0 + 30 s: a 10/30, b 5/30, c 15/30, d and e 0 (e idle longer).
  r.setAgentState('a', 'Available', T0);
  r.setAgentState('b', 'Busy', T0);
  r.setAgentState('c', 'AfterCallWork', T0);
  r.setAgentState('e', 'Available', T0 + 1 * S);
  r.setAgentState('d', 'Available', T0 + 2 * S);
  r.setAgentState('b', 'Available', T0 + 5 * S);
  r.setAgentState('a', 'Busy', T0 + 10 * S);
  r.setAgentState('c', 'Available', T0 + 15 * S);
  r.setAgentState('a', 'Available', T0 + 20 * S);
  const now = T0 + 30 * S;
  const order = ['k1', 'k2', 'k3', 'k4', 'k5'].map((id, i) => r.enqueue(contact(id, now + i), now + i)[0]?.type === 'offer' ? r.contact(id)?.agentId : null);
  assert.deepEqual(order, ['e', 'd', 'b', 'a', 'c']);
});

rule('rule 1, round-robin: ties go to the agent this queue offered to least recently, never offered first', (r) => {
  r.upsertQueue(queue('q', { strategy: 'round-robin' }), T0);
  r.upsertQueue(queue('q2', { strategy: 'round-robin' }), T0);
  for (const id of ['c', 'a', 'b']) available(r, id, T0, {}, { chat: 9 });
  const to = (id: string, queueId = 'q') => r.enqueue(contact(id, T0 + 1, { channel: 'chat', queueId }), T0 + 1)[0];
  assert.deepEqual(['k1', 'k2', 'k3', 'k4', 'k5'].map((k) => to(k)), [offer('k1', 'a'), offer('k2', 'b'), offer('k3', 'c'), offer('k4', 'a'), offer('k5', 'b')]);
  assert.deepEqual(to('m1', 'q2'), offer('m1', 'a', 'q2'), 'each queue keeps its own rotation');
});

rule('rule 1: the last tie goes to the agent id', (r) => {
  r.upsertQueue(queue('q'), T0);
  available(r, 'b', T0);
  available(r, 'a', T0);
  assert.deepEqual(r.enqueue(contact('k', T0), T0), [offer('k', 'a')]);
});

rule('rule 2: a free agent takes the highest-ranked waiting contact it matches: queue priority + contact priority', (r) => {
  r.upsertQueue(queue('low'), T0);
  r.upsertQueue(queue('high', { priority: 2 }), T0);
  r.upsertQueue(queue('skilled', { priority: 9, requirements: [{ skill: 'bill', minProficiency: 1 }] }), T0);
  r.enqueue(contact('y', T0 + 1, { queueId: 'high' }), T0 + 1);
  r.enqueue(contact('x', T0 + 2, { queueId: 'low', priority: 3 }), T0 + 2);
  r.enqueue(contact('z', T0, { queueId: 'high' }), T0 + 3);
  r.enqueue(contact('s', T0, { queueId: 'skilled' }), T0 + 3);
  assert.deepEqual(available(r, 'a', T0 + 4, {}, { voice: 3 }), [offer('x', 'a', 'low'), offer('z', 'a', 'high'), offer('y', 'a', 'high')]);
});

rule('rule 2: aging adds one rank level for every agingSecondsPerLevel waited', (r) => {
  r.upsertQueue(queue('aging', { agingSecondsPerLevel: 10 }), T0);
  r.upsertQueue(queue('vip', { priority: 2 }), T0);
  r.enqueue(contact('o2', T0 - 15 * S, { queueId: 'aging' }), T0); // rank 1
  r.enqueue(contact('v', T0, { queueId: 'vip' }), T0); // rank 2
  r.enqueue(contact('o1', T0 - 35 * S, { queueId: 'aging' }), T0); // rank 3
  assert.deepEqual(available(r, 'a', T0, {}, { voice: 3 }), [offer('o1', 'a', 'aging'), offer('v', 'a', 'vip'), offer('o2', 'a', 'aging')]);
});

rule('rule 2: equal ranks go to the earliest enqueuedAt, then the contact id', (r) => {
  r.upsertQueue(queue('q'), T0);
  r.upsertQueue(queue('p'), T0);
  r.enqueue(contact('b', T0), T0);
  r.enqueue(contact('a', T0, { queueId: 'p' }), T0);
  r.enqueue(contact('z', T0 - 1), T0);
  assert.deepEqual(available(r, 'agent', T0, {}, { voice: 3 }), [offer('z', 'agent'), offer('a', 'agent', 'p'), offer('b', 'agent')]);
});

rule('rule 2: an agent is offered contacts while it has free capacity, across channels (multi-chat)', (r) => {
  r.upsertQueue(queue('q'), T0);
  const channels: [string, Channel][] = [['c1', 'chat'], ['c2', 'chat'], ['c3', 'chat'], ['e1', 'email'], ['v1', 'voice']];
  channels.forEach(([id, channel], i) => r.enqueue(contact(id, T0 + i, { channel }), T0 + 10));
  assert.deepEqual(available(r, 'a', T0 + 10, {}, { voice: 0, chat: 2, email: 1 }), [offer('c1', 'a'), offer('c2', 'a'), offer('e1', 'a')]);
  r.offerAccepted('c1', T0 + 11);
  assert.deepEqual(r.contactEnded('c1', T0 + 12), [offer('c3', 'a')]);
});

rule('rule 2 on the task channel: tasks (capacity 0 by default) fill their own capacity and leave voice capacity free', (r) => {
  r.upsertQueue(queue('q'), T0);
  ['t1', 't2', 't3', 't4'].forEach((id, i) => r.enqueue(contact(id, T0 + i, { channel: 'task' }), T0 + 10));
  assert.deepEqual(available(r, 'a', T0 + 10), [], 'no task capacity by default');
  assert.deepEqual(r.upsertAgent({ id: 'a', skills: {}, capacity: { voice: 1, task: 3 } }, T0 + 11), [offer('t1', 'a'), offer('t2', 'a'), offer('t3', 'a')]);
  for (const id of ['t1', 't2', 't3']) r.offerAccepted(id, T0 + 12);
  assert.deepEqual(r.enqueue(contact('v1', T0 + 13), T0 + 13), [offer('v1', 'a')], 'a call still reaches an agent holding three tasks');
  assert.deepEqual(r.contactEnded('t2', T0 + 14), [offer('t4', 'a')]);
  assert.deepEqual(r.agent('a')?.load, { voice: 1, chat: 0, email: 0, message: 0, task: 3 });
});

rule('rule 3: a declined offer releases the agent and returns with its enqueuedAt, keeping its place (agent set NotReady first)', (r) => {
  r.upsertQueue(queue('q'), T0);
  available(r, 'a', T0);
  available(r, 'b', T0 + 1);
  assert.deepEqual(r.enqueue(contact('x', T0 + 2), T0 + 2), [offer('x', 'a')]);
  assert.deepEqual(r.enqueue(contact('y', T0 + 3), T0 + 3), [offer('y', 'b')]);
  assert.deepEqual(r.setAgentState('a', 'NotReady', T0 + 4, 'missed'), []);
  assert.deepEqual(r.offerDeclined('x', T0 + 5), [], 'no one is free');
  assert.equal(r.agent('a')?.load.voice, 0);
  assert.deepEqual(r.contact('x'), { id: 'x', queueId: 'q', channel: 'voice', enqueuedAt: T0 + 2, queuedAt: T0 + 2, priority: 0, requirements: [], status: 'waiting', agentId: null });
  r.enqueue(contact('z', T0 + 6), T0 + 6);
  assert.deepEqual(r.waiting('q', T0 + 7), ['x', 'z']);
  r.offerAccepted('y', T0 + 8);
  assert.deepEqual(r.contactEnded('y', T0 + 9), [offer('x', 'b')], 'x is ahead of z, which came later');
});

rule('rule 3: a declined offer is re-matched at once, excluding nothing (declined before the agent is set NotReady)', (r) => {
  r.upsertQueue(queue('q'), T0);
  available(r, 'a', T0);
  assert.deepEqual(r.enqueue(contact('x', T0), T0), [offer('x', 'a')]);
  assert.deepEqual(r.offerDeclined('x', T0 + 1), [offer('x', 'a')], 'the same agent is still the best one');
  assert.deepEqual(r.setAgentState('a', 'NotReady', T0 + 2, 'missed'), []);
  assert.deepEqual(r.agent('a')?.offered, ['x'], 'the offer stands until it is declined');
  assert.deepEqual(r.offerDeclined('x', T0 + 3), []);
  assert.equal(r.position('x', T0 + 3), 1);
  assert.deepEqual(available(r, 'b', T0 + 4), [offer('x', 'b')]);
});

rule('rule 4: overflow to a queue keeps enqueuedAt and measures the new queue\'s max wait from the move', (r) => {
  r.upsertQueue(queue('second', { maxWaitSeconds: 30, overflow: { kind: 'voicemail' } }), T0);
  r.upsertQueue(queue('first', { maxWaitSeconds: 60, overflow: { kind: 'queue', queueId: 'second' } }), T0);
  r.enqueue(contact('c', T0 - 10 * S, { queueId: 'first' }), T0);
  r.enqueue(contact('d', T0 + 40 * S, { queueId: 'second' }), T0 + 40 * S);
  assert.deepEqual(r.tick(T0 + 50 * S - 1), []);
  assert.deepEqual(r.tick(T0 + 50 * S), [{ type: 'overflow', contactId: 'c', queueId: 'first', target: { kind: 'queue', queueId: 'second' } }]);
  assert.deepEqual([r.contact('c')?.queueId, r.contact('c')?.enqueuedAt, r.contact('c')?.queuedAt], ['second', T0 - 10 * S, T0 + 50 * S]);
  assert.deepEqual(r.waiting('second', T0 + 50 * S), ['c', 'd'], 'the caller keeps its place');
  assert.deepEqual(r.tick(T0 + 70 * S), [{ type: 'overflow', contactId: 'd', queueId: 'second', target: { kind: 'voicemail' } }]);
  assert.deepEqual(r.tick(T0 + 80 * S - 1), []);
  assert.deepEqual(r.tick(T0 + 80 * S), [{ type: 'overflow', contactId: 'c', queueId: 'second', target: { kind: 'voicemail' } }]);
  assert.equal(r.contact('c'), undefined);
});

rule('rule 4: a contact moved by overflow is offered at once when the new queue has a free agent', (r) => {
  r.upsertQueue(queue('help', { requirements: [{ skill: 'en', minProficiency: 1 }] }), T0);
  r.upsertQueue(queue('q', { requirements: [{ skill: 'bill', minProficiency: 5 }], maxWaitSeconds: 20, overflow: { kind: 'queue', queueId: 'help' } }), T0);
  available(r, 'a', T0, { en: 2 });
  assert.deepEqual(r.enqueue(contact('c', T0), T0), []);
  assert.deepEqual(r.tick(T0 + 20 * S), [
    { type: 'overflow', contactId: 'c', queueId: 'q', target: { kind: 'queue', queueId: 'help' } }, offer('c', 'a', 'help'),
  ]);
});

rule('rule 4: overflow to voicemail, callback or hangup (the default) removes the contact; due contacts go in deadline order, then id', (r) => {
  r.upsertQueue(queue('vm', { maxWaitSeconds: 10, overflow: { kind: 'voicemail' } }), T0);
  r.upsertQueue(queue('cb', { maxWaitSeconds: 10, overflow: { kind: 'callback' } }), T0);
  r.upsertQueue(queue('hu', { maxWaitSeconds: 10 }), T0);
  r.enqueue(contact('c-vm', T0, { queueId: 'vm' }), T0);
  r.enqueue(contact('c-hu', T0, { queueId: 'hu' }), T0);
  r.enqueue(contact('c-cb', T0, { queueId: 'cb' }), T0);
  r.enqueue(contact('b-early', T0 - 1, { queueId: 'vm' }), T0);
  assert.deepEqual(r.tick(T0 + 11 * S), [
    { type: 'overflow', contactId: 'b-early', queueId: 'vm', target: { kind: 'voicemail' } },
    { type: 'overflow', contactId: 'c-cb', queueId: 'cb', target: { kind: 'callback' } },
    { type: 'overflow', contactId: 'c-hu', queueId: 'hu', target: { kind: 'hangup' } },
    { type: 'overflow', contactId: 'c-vm', queueId: 'vm', target: { kind: 'voicemail' } },
  ]);
  assert.deepEqual(['vm', 'cb', 'hu'].map((q) => r.queueStats(q, T0 + 11 * S).waiting), [0, 0, 0]);
  assert.deepEqual(r.tick(T0 + 20 * S), []);
});

rule('rule 4: an offered contact does not overflow; declined past its deadline, it overflows at the next tick', (r) => {
  r.upsertQueue(queue('q', { maxWaitSeconds: 10, overflow: { kind: 'hangup' } }), T0);
  available(r, 'a', T0);
  assert.deepEqual(r.enqueue(contact('x', T0), T0), [offer('x', 'a')]);
  assert.deepEqual(r.tick(T0 + 20 * S), []);
  r.setAgentState('a', 'NotReady', T0 + 21 * S, 'missed');
  assert.deepEqual(r.offerDeclined('x', T0 + 21 * S), []);
  assert.deepEqual(r.tick(T0 + 22 * S), [{ type: 'overflow', contactId: 'x', queueId: 'q', target: { kind: 'hangup' } }]);
});

rule('remove: an abandoned offer releases the agent, which takes the next contact; an assigned contact cannot be removed', (r) => {
  r.upsertQueue(queue('q'), T0);
  available(r, 'a', T0);
  r.enqueue(contact('x', T0), T0);
  r.enqueue(contact('y', T0 + 1), T0 + 1);
  r.enqueue(contact('z', T0 + 2), T0 + 2);
  assert.deepEqual(r.remove('x', T0 + 3), [offer('y', 'a')]);
  assert.deepEqual(r.remove('z', T0 + 4), []);
  assert.deepEqual(r.queueStats('q', T0 + 4), { waiting: 0, longestWaitMs: 0, offered: 1 });
  r.offerAccepted('y', T0 + 5);
  assert.throws(() => r.remove('y', T0 + 6), routingError('SB_ROUTING_CONTACT_STATE'));
  assert.equal(r.contact('x'), undefined);
});

rule('removeQueue: its waiting and offered contacts leave as overflow to hangup, best rank first; refused while a queue overflows into it', (r) => {
  r.upsertQueue(queue('target'), T0);
  r.upsertQueue(queue('src', { maxWaitSeconds: 60, overflow: { kind: 'queue', queueId: 'target' } }), T0);
  assert.throws(() => r.removeQueue('target', T0), routingError('SB_ROUTING_QUEUE_IN_USE'));
  r.upsertQueue(queue('doomed'), T0);
  r.upsertQueue(queue('other'), T0);
  available(r, 'a', T0);
  r.enqueue(contact('x', T0, { queueId: 'doomed' }), T0);
  r.enqueue(contact('y', T0 + 1, { queueId: 'doomed' }), T0 + 1);
  r.enqueue(contact('z', T0 + 2, { queueId: 'doomed', priority: 1 }), T0 + 2);
  r.enqueue(contact('w', T0 + 3, { queueId: 'other' }), T0 + 3);
  assert.deepEqual(r.removeQueue('doomed', T0 + 4), [
    { type: 'overflow', contactId: 'z', queueId: 'doomed', target: { kind: 'hangup' } },
    { type: 'overflow', contactId: 'x', queueId: 'doomed', target: { kind: 'hangup' } },
    { type: 'overflow', contactId: 'y', queueId: 'doomed', target: { kind: 'hangup' } },
    offer('w', 'a', 'other'),
  ]);
  assert.throws(() => r.queueStats('doomed', T0 + 4), routingError('SB_ROUTING_UNKNOWN_QUEUE'));
});

rule('upsertAgent: an Available agent whose skills or capacity grew is offered work', (r) => {
  r.upsertQueue(queue('q', { requirements: [{ skill: 'bill', minProficiency: 2 }] }), T0);
  available(r, 'a', T0, { en: 1 });
  assert.deepEqual(r.enqueue(contact('v', T0), T0), []);
  assert.deepEqual(r.enqueue(contact('c', T0 + 1, { channel: 'chat' }), T0 + 1), []);
  assert.deepEqual(r.upsertAgent({ id: 'a', skills: { en: 1, bill: 3 }, capacity: {} }, T0 + 2), [offer('v', 'a')]);
  assert.deepEqual(r.upsertAgent({ id: 'a', skills: { en: 1, bill: 3 }, capacity: { chat: 1 } }, T0 + 3), [offer('c', 'a')]);
  assert.deepEqual(r.agent('a')?.capacity, { voice: 1, chat: 1, email: 0, message: 0, task: 0 });
});

rule('upsertQueue: changed requirements re-match the waiting contacts, best rank first', (r) => {
  r.upsertQueue(queue('q', { requirements: [{ skill: 'bill', minProficiency: 3 }] }), T0);
  available(r, 'a', T0, { bill: 1 });
  available(r, 'b', T0 + 1, { bill: 1 });
  r.enqueue(contact('x', T0 + 2), T0 + 2);
  r.enqueue(contact('y', T0 + 3, { priority: 1 }), T0 + 3);
  assert.deepEqual(r.upsertQueue(queue('q', { requirements: [{ skill: 'bill', minProficiency: 1 }] }), T0 + 4), [offer('y', 'a'), offer('x', 'b')]);
});

rule('position, waiting, queueStats and agentsByState: rank order, counts and the longest wait', (r) => {
  r.upsertQueue(queue('q', { agingSecondsPerLevel: 10 }), T0);
  r.enqueue(contact('p1', T0 - 30 * S), T0); // rank 3
  r.enqueue(contact('p2', T0, { priority: 2 }), T0); // rank 2
  r.enqueue(contact('p3', T0 - 1, { priority: 2 }), T0); // rank 2, earlier
  r.enqueue(contact('p4', T0, { channel: 'chat' }), T0); // rank 0
  r.enqueue(contact('p5', T0 - 15 * S), T0); // rank 1, 2 from T0+5 s
  assert.deepEqual(r.waiting('q', T0), ['p1', 'p3', 'p2', 'p5', 'p4']);
  assert.deepEqual(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => r.position(id, T0)), [1, 3, 2, 5, 4]);
  assert.deepEqual(r.waiting('q', T0 + 5 * S), ['p1', 'p5', 'p3', 'p2', 'p4'], 'aging moved p5 ahead of p3 and p2');
  assert.equal(r.position('p5', T0 + 5 * S), 2);
  assert.deepEqual(r.queueStats('q', T0), { waiting: 5, longestWaitMs: 30 * S, offered: 0 });
  available(r, 'a', T0 + 6 * S);
  r.upsertAgent({ id: 'b', skills: {}, capacity: {} }, T0 + 6 * S);
  assert.equal(r.position('p1', T0 + 6 * S), 0, 'an offered contact has no position');
  assert.deepEqual(r.queueStats('q', T0 + 6 * S), { waiting: 4, longestWaitMs: 21 * S, offered: 1 });
  assert.deepEqual(r.agentsByState(), { Offline: 1, Available: 1, Busy: 0, AfterCallWork: 0, NotReady: 0 });
});

rule('agent time: Busy and AfterCallWork count as busy, Available as available, since login; accepted offers count as handled', (r) => {
  r.upsertQueue(queue('q'), T0);
  r.upsertAgent({ id: 'a', skills: {}, capacity: {} }, T0);
  r.setAgentState('a', 'NotReady', T0, 'training');
  r.setAgentState('a', 'Available', T0 + 10 * S);
  r.enqueue(contact('k', T0 + 20 * S), T0 + 20 * S);
  r.offerAccepted('k', T0 + 20 * S);
  r.setAgentState('a', 'Busy', T0 + 20 * S);
  r.setAgentState('a', 'AfterCallWork', T0 + 40 * S);
  r.contactEnded('k', T0 + 45 * S);
  r.setAgentState('a', 'NotReady', T0 + 50 * S, 'break');
  assert.deepEqual(r.agent('a'), {
    id: 'a', skills: {}, capacity: { voice: 1, chat: 0, email: 0, message: 0, task: 0 }, state: 'NotReady', reason: 'break', stateSince: T0 + 50 * S,
    idleSince: null, load: { voice: 0, chat: 0, email: 0, message: 0, task: 0 }, handled: 1, busyMs: 30 * S, availableMs: 10 * S, offered: [], assigned: [],
  });
  r.setAgentState('a', 'Offline', T0 + 60 * S);
  r.setAgentState('a', 'Available', T0 + 70 * S);
  assert.deepEqual([r.agent('a')?.busyMs, r.agent('a')?.availableMs], [0, 0], 'a new login starts from zero');
});

rule('time never runs backwards: an earlier `now` counts as the latest one seen', (r) => {
  r.upsertQueue(queue('q', { maxWaitSeconds: 10 }), T0);
  r.upsertAgent({ id: 'a', skills: {}, capacity: {} }, T0);
  r.setAgentState('a', 'NotReady', T0 + 100 * S, 'break');
  r.setAgentState('a', 'Available', T0 + 50 * S);
  assert.equal(r.agent('a')?.stateSince, T0 + 100 * S);
  r.setAgentState('a', 'NotReady', T0 + 100 * S, 'break');
  r.enqueue(contact('c', T0 + 100 * S), T0 + 100 * S);
  assert.deepEqual(r.tick(T0), []);
  assert.equal(r.tick(T0 + 110 * S).length, 1);
});

rule('invalid calls throw a RoutingError with a stable code and status, and change nothing', (r) => {
  r.upsertQueue(queue('q'), T0);
  r.upsertAgent({ id: 'a', skills: { en: 2 }, capacity: {} }, T0);
  r.enqueue(contact('k', T0), T0);
  const cases: [() => unknown, string, number][] = [
    [() => r.setAgentState('nobody', 'Available', T0), 'SB_ROUTING_UNKNOWN_AGENT', 404],
    [() => r.removeAgent('nobody', T0), 'SB_ROUTING_UNKNOWN_AGENT', 404],
    [() => r.enqueue(contact('k2', T0, { queueId: 'nowhere' }), T0), 'SB_ROUTING_UNKNOWN_QUEUE', 404],
    [() => r.upsertQueue(queue('p', { maxWaitSeconds: 5, overflow: { kind: 'queue', queueId: 'nowhere' } }), T0), 'SB_ROUTING_UNKNOWN_QUEUE', 404],
    [() => r.offerAccepted('nobody', T0), 'SB_ROUTING_UNKNOWN_CONTACT', 404],
    [() => r.position('nobody', T0), 'SB_ROUTING_UNKNOWN_CONTACT', 404],
    [() => r.enqueue(contact('k', T0), T0), 'SB_ROUTING_CONTACT_EXISTS', 409],
    [() => r.offerAccepted('k', T0), 'SB_ROUTING_CONTACT_STATE', 409],
    [() => r.contactEnded('k', T0), 'SB_ROUTING_CONTACT_STATE', 409],
    [() => r.upsertAgent({ id: 'b', skills: { en: 6 }, capacity: {} }, T0), 'SB_ROUTING_INVALID', 400],
    [() => r.upsertAgent({ id: 'b', skills: {}, capacity: { chat: -1 } }, T0), 'SB_ROUTING_INVALID', 400],
    [() => r.upsertAgent({ id: 'b', skills: {}, capacity: { fax: 1 } as Agent['capacity'] }, T0), 'SB_ROUTING_INVALID', 400],
    [() => r.upsertQueue(queue('p', { relaxation: [{ afterSeconds: 20 }, { afterSeconds: 10 }] }), T0), 'SB_ROUTING_INVALID', 400],
    [() => r.upsertQueue(queue('q', { overflow: { kind: 'queue', queueId: 'q' } }), T0), 'SB_ROUTING_INVALID', 400],
    [() => r.upsertQueue(queue('p', { priority: 0.5 }), T0), 'SB_ROUTING_INVALID', 400],
    [() => r.setAgentState('a', 'NotReady', T0), 'SB_ROUTING_INVALID', 400],
    [() => r.setAgentState('a', 'Dancing' as 'Busy', T0), 'SB_ROUTING_INVALID', 400],
    [() => r.enqueue(contact('k3', T0 + 1), T0), 'SB_ROUTING_INVALID', 400],
    [() => r.enqueue(contact('k3', T0, { channel: 'fax' as Channel }), T0), 'SB_ROUTING_INVALID', 400],
    [() => r.tick(T0 + 0.5), 'SB_ROUTING_INVALID', 400],
  ];
  for (const [call, code, status] of cases) {
    assert.throws(call, (e: unknown) => routingError(code)(e) && (e as RoutingError).status === status, code);
  }
  r.setAgentState('a', 'Available', T0 + 1);
  r.setAgentState('a', 'Busy', T0 + 1);
  assert.throws(() => r.removeAgent('a', T0 + 2), routingError('SB_ROUTING_AGENT_HAS_CONTACTS'));
  assert.deepEqual(r.agent('a')?.offered, ['k']);
  assert.equal(r.agent('b'), undefined);
  assert.equal(r.agent('a')?.stateSince, T0 + 1, 'a refused call does not move the clock');
  assert.throws(() => r.setAgentState('a', 'NotReady', T0 + 9 * S, ''), routingError('SB_ROUTING_INVALID'));
  r.setAgentState('a', 'Available', T0 + 2);
  assert.equal(r.agent('a')?.stateSince, T0 + 2, 'the refused call at T0 + 9 s did not move the clock');
});

// The property test: a small center (3 skills, 5 agents, 3 queues, 16 contact ids) where ties,
// relaxation, aging, overflow chains and invalid calls are frequent.
const SKILLS = ['en', 'zh', 'bill'];
const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5'];
const QUEUES = ['q1', 'q2', 'q3'];
const CONTACTS = Array.from({ length: 16 }, (_, i) => `c${i + 1}`);
const STATES = ['Offline', 'Available', 'Busy', 'AfterCallWork', 'NotReady'] as const;

const req = fc.record({ skill: fc.constantFrom(...SKILLS), minProficiency: fc.integer({ min: 1, max: 4 }) });
const queueOp = fc.record({
  op: fc.constant('queue' as const),
  q: fc.nat(2),
  priority: fc.integer({ min: 0, max: 2 }),
  strategy: fc.constantFrom('longest-idle' as const, 'least-occupied' as const, 'round-robin' as const),
  requirements: fc.array(req, { maxLength: 2 }),
  steps: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 20 }), drop: fc.subarray(SKILLS, { maxLength: 1 }), lower: fc.array(req, { maxLength: 1 }) }), { maxLength: 2 }),
  aging: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  maxWait: fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
  overflow: fc.option(fc.oneof(
    fc.constantFrom({ kind: 'voicemail' as const }, { kind: 'hangup' as const }, { kind: 'callback' as const }),
    fc.nat(2).map((i) => ({ kind: 'queue' as const, queueId: QUEUES[i]! })),
  ), { nil: undefined }),
});
const agentOp = fc.record({
  op: fc.constant('agent' as const),
  a: fc.nat(4),
  skills: fc.dictionary(fc.constantFrom(...SKILLS), fc.integer({ min: 1, max: 5 }), { maxKeys: 3 }),
  voice: fc.integer({ min: 0, max: 1 }),
  chat: fc.integer({ min: 0, max: 3 }),
  task: fc.integer({ min: 0, max: 3 }),
});
const op = fc.oneof(
  { weight: 1, arbitrary: queueOp },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeQueue' as const), q: fc.nat(2) }) },
  { weight: 1, arbitrary: agentOp },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeAgent' as const), a: fc.nat(4) }) },
  { weight: 6, arbitrary: fc.record({
    op: fc.constant('state' as const), a: fc.nat(4), state: fc.oneof(fc.constantFrom(...STATES), fc.constant('Available' as const)),
    reason: fc.constantFrom('break', 'missed'),
  }) },
  { weight: 8, arbitrary: fc.record({
    op: fc.constant('enqueue' as const), c: fc.nat(CONTACTS.length - 1), q: fc.nat(2), channel: fc.constantFrom('voice' as const, 'chat' as const, 'task' as const),
    priority: fc.integer({ min: 0, max: 2 }), requirements: fc.array(req, { maxLength: 1 }), backdate: fc.integer({ min: 0, max: 30_000 }),
  }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('accept' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('decline' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('end' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 5_000, max: 70_000 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('back' as const), ms: fc.integer({ min: 1, max: 10_000 }) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Every queue and agent exists at the start (queues overflow only into queues created before them), agents Available. */
const center = fc.tuple(
  fc.array(queueOp, { minLength: QUEUES.length, maxLength: QUEUES.length }),
  fc.array(agentOp, { minLength: AGENTS.length, maxLength: AGENTS.length }),
).map(([queues, agents]): Op[] => [
  ...queues.map((q, i) => ({ ...q, q: i, overflow: q.overflow?.kind === 'queue' && QUEUES.indexOf(q.overflow.queueId) >= i ? undefined : q.overflow })),
  ...agents.flatMap((a, i): Op[] => [{ ...a, a: i }, { op: 'state', a: i, state: 'Available', reason: 'break' }]),
]);

type Outcome = { value: unknown } | { error: string };
function attempt(fn: () => unknown): Outcome {
  try {
    return { value: fn() };
  } catch (e) {
    if (e instanceof RoutingError) return { error: e.code };
    throw e;
  }
}

function snapshot(r: ContactDistributor, now: number): unknown {
  return {
    agents: AGENTS.map((id) => r.agent(id)),
    contacts: CONTACTS.map((id) => r.contact(id)),
    queues: QUEUES.map((id) => attempt(() => ({ waiting: r.waiting(id, now), stats: r.queueStats(id, now) }))),
    positions: CONTACTS.map((id) => attempt(() => r.position(id, now))),
    byState: r.agentsByState(),
  };
}

function pickContact(r: ContactDistributor, status: string, pick: number): string {
  const ids = CONTACTS.filter((id) => r.contact(id)?.status === status);
  return ids.length === 0 ? CONTACTS[pick % CONTACTS.length]! : ids[pick % ids.length]!;
}

/** The call for `o`, its contact picked from the oracle's state before either implementation runs it. */
function plan(o: Op, now: number, oracle: ContactDistributor): (r: ContactDistributor) => unknown {
  const picked = o.op === 'remove' ? pickContact(oracle, o.pick % 2 ? 'waiting' : 'offered', o.pick)
    : o.op === 'accept' || o.op === 'decline' ? pickContact(oracle, 'offered', o.pick)
    : o.op === 'end' ? pickContact(oracle, 'assigned', o.pick) : '';
  return (r) => {
    switch (o.op) {
      case 'queue': {
        let after = 0;
        const relaxation = o.steps.map((s) => ({ afterSeconds: (after += s.gap), drop: s.drop, lower: s.lower }));
        return r.upsertQueue({
          id: QUEUES[o.q]!, priority: o.priority, strategy: o.strategy, requirements: o.requirements, relaxation,
          agingSecondsPerLevel: o.aging, maxWaitSeconds: o.maxWait, overflow: o.overflow,
        }, now);
      }
      case 'removeQueue': return r.removeQueue(QUEUES[o.q]!, now);
      case 'agent': return r.upsertAgent({ id: AGENTS[o.a]!, skills: o.skills, capacity: { voice: o.voice, chat: o.chat, task: o.task } }, now);
      case 'removeAgent': return r.removeAgent(AGENTS[o.a]!, now);
      case 'state': return r.setAgentState(AGENTS[o.a]!, o.state, now, o.reason);
      case 'enqueue': return r.enqueue({
        id: CONTACTS[o.c]!, queueId: QUEUES[o.q]!, channel: o.channel, enqueuedAt: now - o.backdate, priority: o.priority, requirements: o.requirements,
      }, now);
      case 'remove': return r.remove(picked, now);
      case 'accept': return r.offerAccepted(picked, now);
      case 'decline': return r.offerDeclined(picked, now);
      case 'end': return r.contactEnded(picked, now);
      case 'tick': return r.tick(now);
      case 'back': return r.tick(now - o.ms);
    }
  };
}

test('property: RoutingCore and ReferenceMatcher make the same decisions and hold the same state after every event', () => {
  fc.assert(fc.property(center, fc.array(op, { minLength: 1, maxLength: 150, size: 'max' }), (prelude, events) => {
    const core = new RoutingCore();
    const ref = new ReferenceMatcher();
    let now = T0;
    for (const [i, o] of [...prelude, ...events].entries()) {
      now += o.op === 'tick' ? o.ms : 100;
      const run = plan(o, now, ref);
      const expected = attempt(() => run(ref));
      assert.deepEqual(attempt(() => run(core)), expected, `step ${i} ${JSON.stringify(o)}`);
      assert.deepEqual(snapshot(core, now), snapshot(ref, now), `state after step ${i} ${JSON.stringify(o)}`);
      for (const q of QUEUES) {
        const order = attempt(() => core.waiting(q, now));
        if ('value' in order) (order.value as string[]).forEach((id, k) => assert.equal(core.position(id, now), k + 1, `position of ${id}`));
      }
    }
  }), { numRuns: 300 });
});
