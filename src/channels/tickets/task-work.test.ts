// The pure rules of the task channel: priorities in routing order, and when a ticket's work item ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../../tickets/index.ts';
import { heldEnds, TASK_PRIORITY, waitingEnds } from './task-work.ts';

const open = { statusCategory: 'open', assigneeUserId: null, assigneeTeamId: null };

test('ticket priorities rank urgent > high > normal > low, every priority has one', () => {
  assert.deepEqual([...PRIORITIES].sort((a, b) => TASK_PRIORITY[b] - TASK_PRIORITY[a]), ['urgent', 'high', 'normal', 'low']);
  assert.equal(new Set(Object.values(TASK_PRIORITY)).size, PRIORITIES.length);
});

test('a waiting ticket keeps waiting while open or pending and unassigned; leaves when resolved, closed or assigned another way', () => {
  assert.equal(waitingEnds(open), null);
  assert.equal(waitingEnds({ ...open, statusCategory: 'pending' }), null);
  assert.equal(waitingEnds({ ...open, statusCategory: 'resolved' }), 'resolved');
  assert.equal(waitingEnds({ ...open, statusCategory: 'closed' }), 'closed');
  assert.equal(waitingEnds({ ...open, assigneeUserId: 'u1' }), 'assigned-elsewhere');
  assert.equal(waitingEnds({ ...open, assigneeTeamId: 't1' }), 'assigned-elsewhere');
});

test('an accepted ticket stays its agent\'s until resolved, closed or assigned to another user', () => {
  const mine = { ...open, assigneeUserId: 'ann' };
  assert.equal(heldEnds(mine, 'ann'), null);
  assert.equal(heldEnds({ ...mine, statusCategory: 'pending', assigneeTeamId: 't1' }, 'ann'), null, 'waiting on the customer, or a team added, is still theirs');
  assert.equal(heldEnds({ ...mine, statusCategory: 'resolved' }, 'ann'), 'resolved');
  assert.equal(heldEnds({ ...mine, statusCategory: 'closed' }, 'ann'), 'closed');
  assert.equal(heldEnds({ ...mine, assigneeUserId: 'bob' }, 'ann'), 'reassigned');
  assert.equal(heldEnds({ ...mine, assigneeUserId: null }, 'ann'), 'reassigned');
});
