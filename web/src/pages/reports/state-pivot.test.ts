// The agent-states table (pure; run with node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pivot } from './state-pivot.ts';

test('one row per period and agent, one column per state and reason in the order of the day', () => {
  const r = (periodStart: string, agentId: string, state: string, reason: string, seconds: number) => ({ periodStart, period: periodStart, agentId, name: agentId, state, reason, seconds });
  const p = pivot([
    r('d1', 'ann', 'NotReady', 'lunch', 3600), r('d1', 'ann', 'Available', '', 600), r('d1', 'ann', 'Busy', '', 300),
    r('d1', 'bob', 'NotReady', 'break', 900), r('d2', 'ann', 'Offline', '', 60),
  ]);
  assert.deepEqual(p.columns.map((c) => c.id), ['Available|', 'Busy|', 'NotReady|break', 'NotReady|lunch', 'Offline|']);
  assert.deepEqual(p.rows.map((x) => [x.periodStart, x.agentId, x.total]), [['d1', 'ann', 4500], ['d1', 'bob', 900], ['d2', 'ann', 60]]);
  assert.equal(p.rows[0]!.seconds.get('NotReady|lunch'), 3600);
  assert.equal(p.rows[1]!.seconds.get('Available|'), undefined);
});
