// The report's query string and the form's grain choices (pure; run with node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentStatesPath, fromGrainChoice, GRAIN_CHOICES, grainChoice, reportPath } from './report-query.ts';

const base = { by: 'queue', grain: 'day', interval: 15, from: '2026-11-01', to: '2026-11-07', keys: [] } as const;

test('a day report: no interval, no keys', () => {
  assert.equal(reportPath(base), '/api/reports?by=queue&grain=day&from=2026-11-01&to=2026-11-07');
});

test('an interval report with keys, and its CSV', () => {
  const p = { ...base, grain: 'interval', interval: 30, keys: ['q1', 'q 2'] } as const;
  assert.equal(reportPath(p), '/api/reports?by=queue&grain=interval&interval=30&from=2026-11-01&to=2026-11-07&keys=q1%2Cq+2');
  assert.equal(reportPath(p, 'csv'), '/api/reports?by=queue&grain=interval&interval=30&from=2026-11-01&to=2026-11-07&keys=q1%2Cq+2&format=csv');
});

test('agent states for the same span, some agents only', () => {
  assert.equal(agentStatesPath(base, ['a1', 'a2'], 'csv'), '/api/reports/agent-states?grain=day&from=2026-11-01&to=2026-11-07&agents=a1%2Ca2&format=csv');
});

test('grain choices round-trip', () => {
  for (const c of GRAIN_CHOICES) assert.equal(grainChoice(fromGrainChoice(c)), c);
  assert.deepEqual(fromGrainChoice('interval-60'), { grain: 'interval', interval: 60 });
});
