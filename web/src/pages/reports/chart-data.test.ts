// What the report chart draws and how periods read (pure; run with node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartData, chartMeasures, periodTexts, tickText } from './chart-data.ts';
import type { Report, ReportRow } from './reports-api.ts';

const row = (periodStart: string, key: string, figures: Record<string, number | null>): ReportRow => ({ periodStart, period: periodStart.slice(0, 10), key, name: key, ...figures });

test('one bar pair and one point per period of the key; periods without a row are 0 bars and no point', () => {
  const report: Report = {
    by: 'queue', grain: 'day', intervalMinutes: null, timeZone: 'UTC', from: '2026-11-01', to: '2026-11-03',
    periods: [{ start: '2026-11-01T00:00:00.000Z', label: '2026-11-01' }, { start: '2026-11-02T00:00:00.000Z', label: '2026-11-02' }, { start: '2026-11-03T00:00:00.000Z', label: '2026-11-03' }],
    rows: [
      row('2026-11-01T00:00:00.000Z', 'sales', { offered: 4, answered: 3, serviceLevel: 0.75 }),
      row('2026-11-01T00:00:00.000Z', 'support', { offered: 9, answered: 9, serviceLevel: 1 }),
      row('2026-11-03T00:00:00.000Z', 'sales', { offered: 2, answered: 0, serviceLevel: null }),
    ],
    totals: [],
  };
  const c = chartData(report, 'sales');
  assert.deepEqual(c.bars, [{ column: 'offered', values: [4, 0, 2] }, { column: 'answered', values: [3, 0, 0] }]);
  assert.deepEqual(c.line, { column: 'serviceLevel', values: [0.75, null, null] });
});

test('agents and teams chart offers, handled and occupancy', () => {
  assert.deepEqual(chartMeasures('team'), { bars: ['offers', 'handled'], line: 'occupancy' });
  assert.deepEqual(chartMeasures('did'), { bars: ['offered', 'answered'], line: 'serviceLevel' });
});

test('interval labels drop a single offset and keep two (a DST change)', () => {
  const one = periodTexts([{ start: 'a', label: '2026-11-22T17:00+08:00' }, { start: 'b', label: '2026-11-22T17:30+08:00' }]);
  assert.deepEqual([...one.values()], ['2026-11-22 17:00', '2026-11-22 17:30']);
  const two = periodTexts([{ start: 'a', label: '2026-11-01T01:00-04:00' }, { start: 'b', label: '2026-11-01T01:00-05:00' }]);
  assert.deepEqual([...two.values()], ['2026-11-01 01:00-04:00', '2026-11-01 01:00-05:00']);
  assert.deepEqual([...periodTexts([{ start: 'a', label: '2026-W47' }]).values()], ['2026-W47']);
});

test('tick labels: times for one day, dates otherwise', () => {
  assert.equal(tickText('2026-11-22T17:00+08:00', 'interval', true), '17:00');
  assert.equal(tickText('2026-11-22T17:00+08:00', 'interval', false), '11-22 17:00');
  assert.equal(tickText('2026-11-22', 'day', false), '11-22');
  assert.equal(tickText('2026-11', 'month', false), '2026-11');
});
