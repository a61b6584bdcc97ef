// Workflows: statuses and transitions are checked when defined, and a ticket moves only along a transition.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../kernel/index.ts';
import { DEFAULT_TICKET_TYPES } from './ticket-defaults.ts';
import { allowedFrom, checkTransition, checkWorkflow, pathTo, type Workflow } from './workflow.ts';

const rejects = (fn: () => unknown, code: string, field?: string) => assert.throws(fn, (e: unknown) => {
  assert.ok(e instanceof DomainError);
  assert.equal(e.code, code, e.message);
  if (field !== undefined) assert.equal(e.details?.['field'], field);
  return true;
});

const service = DEFAULT_TICKET_TYPES.find((t) => t.key === 'complaint')!.workflow;

describe('workflow', () => {
  test('every default type has a valid workflow starting in an open status', () => {
    for (const t of DEFAULT_TICKET_TYPES) {
      const w = checkWorkflow(t.workflow);
      assert.equal(w.statuses.find((s) => s.key === w.initial)?.category, 'open', t.key);
      assert.ok(w.statuses.some((s) => s.category === 'pending'), `${t.key} can wait on the customer`);
      assert.ok(w.statuses.some((s) => s.category === 'closed'), `${t.key} can be closed`);
    }
  });

  test('the service path New -> Assigned -> In progress -> Waiting -> Resolved -> Closed, and reopening', () => {
    const path = ['new', 'assigned', 'in_progress', 'waiting_on_customer', 'in_progress', 'resolved', 'in_progress', 'resolved', 'closed'];
    for (let i = 1; i < path.length; i++) assert.equal(checkTransition(service, path[i - 1]!, path[i]!).key, path[i]);
  });

  test('a forbidden move is a 409 listing the allowed targets; an unknown status a 400', () => {
    assert.throws(() => checkTransition(service, 'new', 'closed'), (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.status, 409);
      assert.equal(e.code, 'SB_TICKETS_TRANSITION_FORBIDDEN');
      assert.deepEqual(e.details?.['allowed'], ['assigned', 'in_progress']);
      assert.match(e.message, /new to closed/);
      return true;
    });
    assert.deepEqual(allowedFrom(service, 'closed'), []);
    rejects(() => checkTransition(service, 'closed', 'new'), 'SB_TICKETS_TRANSITION_FORBIDDEN');
    rejects(() => checkTransition(service, 'new', 'teleported'), 'SB_VALIDATION', 'status');
  });

  test('pathTo: the fewest transitions to a status of a category, each one allowed', () => {
    assert.deepEqual(pathTo(service, 'new', 'resolved'), ['in_progress', 'resolved']);
    assert.deepEqual(pathTo(service, 'waiting_on_customer', 'resolved'), ['resolved']);
    assert.deepEqual(pathTo(service, 'resolved', 'resolved'), [], 'already there');
    assert.deepEqual(pathTo(service, 'new', 'closed'), ['in_progress', 'resolved', 'closed']);
    const path = pathTo(service, 'assigned', 'resolved')!;
    path.reduce((from, to) => checkTransition(service, from, to).key, 'assigned');
    assert.equal(pathTo(service, 'closed', 'open'), null, 'closed leads nowhere');
    const workOrder = DEFAULT_TICKET_TYPES.find((t) => t.key === 'repair')!.workflow;
    assert.deepEqual(pathTo(workOrder, 'new', 'resolved'), ['assigned', 'scheduled', 'in_progress', 'resolved']);
  });

  test('a workflow is refused naming the field: keys, categories, initial, transitions', () => {
    const base: Workflow = { initial: 'a', statuses: [{ key: 'a', name: 'A', category: 'open' }, { key: 'b', name: 'B', category: 'closed' }], transitions: [{ from: 'a', to: 'b' }] };
    assert.deepEqual(checkWorkflow(base), base);
    rejects(() => checkWorkflow({ ...base, statuses: [] }), 'SB_VALIDATION', 'workflow.statuses');
    rejects(() => checkWorkflow({ ...base, statuses: [...base.statuses, { key: 'a', name: 'again', category: 'open' }] }), 'SB_VALIDATION', 'workflow.statuses.2.key');
    rejects(() => checkWorkflow({ ...base, statuses: [{ key: 'Bad Key', name: 'x', category: 'open' }] }), 'SB_VALIDATION', 'workflow.statuses.0.key');
    rejects(() => checkWorkflow({ ...base, statuses: [{ key: 'a', name: ' ', category: 'open' }] }), 'SB_VALIDATION', 'workflow.statuses.0.name');
    rejects(() => checkWorkflow({ ...base, statuses: [{ key: 'a', name: 'A', category: 'limbo' as 'open' }] }), 'SB_VALIDATION', 'workflow.statuses.0.category');
    rejects(() => checkWorkflow({ ...base, initial: 'z' }), 'SB_VALIDATION', 'workflow.initial');
    rejects(() => checkWorkflow({ ...base, transitions: [{ from: 'a', to: 'z' }] }), 'SB_VALIDATION', 'workflow.transitions.0.to');
    rejects(() => checkWorkflow({ ...base, transitions: [{ from: 'a', to: 'a' }] }), 'SB_VALIDATION', 'workflow.transitions.0.to');
    rejects(() => checkWorkflow({ ...base, transitions: [{ from: 'a', to: 'b' }, { from: 'a', to: 'b' }] }), 'SB_VALIDATION', 'workflow.transitions.1');
  });
});
