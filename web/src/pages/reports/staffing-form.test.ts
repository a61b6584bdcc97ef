// The staffing forms as the API takes them (pure; run with node --test), and the worked example
// they start with checked against the real Erlang C (src/wfm).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentsForServiceLevel, queueMetrics } from '../../../../src/wfm/index.ts';
import { DEFAULT_FORECAST, erlangCBody, forecastBody, optional, required, TARGETS, weeksOf, WORKED_EXAMPLE } from './staffing-form.ts';

test('the worked example as a request, and what the real Erlang C makes of it', () => {
  const body = erlangCBody(WORKED_EXAMPLE);
  assert.deepEqual(body, { callsPerInterval: 100, intervalSeconds: 1800, ahtSeconds: 180, serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 });
  const needed = agentsForServiceLevel(100, 180, 1800, 80, 20, { shrinkage: 0.3, maxOccupancy: 1 });
  assert.deepEqual([needed.agents, needed.scheduledAgents], [14, 20]);
  const m = queueMetrics({ callsPerInterval: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14, answerWithinSeconds: 20 });
  assert.equal(m.erlangs, 10);
  assert.equal(Number(m.asaSeconds.toFixed(1)), 7.8);
});

test('an ASA target, given agents and max occupancy; percentages become fractions by division', () => {
  const body = erlangCBody({ ...WORKED_EXAMPLE, target: TARGETS.Asa, asaSeconds: '15', agents: '12', maxOccupancyPercent: '85', shrinkagePercent: '35' });
  assert.deepEqual(body, {
    callsPerInterval: 100, intervalSeconds: 1800, ahtSeconds: 180, serviceLevel: { seconds: 20 }, asaSeconds: 15, shrinkage: 0.35, maxOccupancy: 0.85, agents: 12,
  });
  assert.equal(erlangCBody({ ...WORKED_EXAMPLE, target: TARGETS.Asa, slSeconds: '' }).serviceLevel, undefined);
});

test('empty or bad required numbers go as null for the server to name; empty optional ones are left out', () => {
  assert.deepEqual([required(''), required(' 12 '), required('abc'), required('1e400')], [null, 12, null, null]);
  assert.deepEqual([optional(''), optional('3'), optional('x')], [undefined, 3, null]);
  const body = erlangCBody({ ...WORKED_EXAMPLE, ahtSeconds: '', shrinkagePercent: '' });
  assert.equal(body['ahtSeconds'], null);
  assert.ok(!('shrinkage' in body));
});

test('the forecast request: history, time zone, weeks and the staffing target', () => {
  const history = [{ start: '2026-11-30T02:00:00.000Z', contacts: 4 }];
  assert.deepEqual(forecastBody(DEFAULT_FORECAST, history, 'Asia/Shanghai'), {
    history, intervalMinutes: 30, horizonDays: 1, timeZone: 'Asia/Shanghai', weeks: 4,
    staffing: { ahtSeconds: 180, serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 },
  });
  const asa = forecastBody({ ...DEFAULT_FORECAST, target: TARGETS.Asa, asaSeconds: '30', shrinkagePercent: '' }, history, 'UTC');
  assert.deepEqual(asa['staffing'], { ahtSeconds: 180, asaSeconds: 30 });
});

test('weeks of history: whole numbers from 1 to 52', () => {
  assert.deepEqual(['1', '52', '0', '53', '2.5', '', 'x'].map(weeksOf), [1, 52, null, null, null, null, null]);
});
