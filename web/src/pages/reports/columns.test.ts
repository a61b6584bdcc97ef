// The report table's columns and how figures are written (pure; run with node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_COLUMNS } from '../../../../src/analytics/index.ts';
import { COLUMN_GROUPS, columnsOf, defaultGroups, formatColumn, formatDuration, GROUPS, kindOf, MISSING } from './columns.ts';

test('the groups hold every figure of a report row exactly once', () => {
  const grouped = Object.values(COLUMN_GROUPS).flat();
  const figures = REPORT_COLUMNS.filter((c) => !['periodStart', 'period', 'key', 'name'].includes(c));
  assert.deepEqual([...grouped].sort(), [...figures].sort());
  assert.equal(new Set(grouped).size, grouped.length);
});

test('columns follow the order of the groups, whatever order they were chosen in', () => {
  assert.deepEqual(columnsOf(['offers', 'volume']).slice(0, 2), ['contacts', 'offered']);
  assert.deepEqual(columnsOf(GROUPS).length, Object.values(COLUMN_GROUPS).flat().length);
  assert.ok(defaultGroups('agent').includes('agentTime'));
  assert.ok(!defaultGroups('queue').includes('agentTime'));
});

test('kinds: ratios, average seconds, summed durations, the survey score, counts', () => {
  assert.deepEqual(
    ['serviceLevel', 'occupancy', 'asaSeconds', 'serviceLevelSeconds', 'talkSeconds', 'busySeconds', 'averageSurveyScore', 'offered'].map(kindOf),
    ['ratio', 'ratio', 'seconds', 'seconds', 'duration', 'duration', 'score', 'count'],
  );
});

test('figures with their units; null is an em dash', () => {
  assert.equal(formatColumn('serviceLevel', 0.88835, 'en'), '88.8%');
  assert.equal(formatColumn('serviceLevel', 1, 'en'), '100.0%');
  assert.equal(formatColumn('asaSeconds', 7.8359, 'en'), '7.8s');
  assert.equal(formatColumn('asaSeconds', 7.8359, 'zh-CN'), '7.8秒');
  assert.equal(formatColumn('talkSeconds', 3725, 'en'), '1:02:05');
  assert.equal(formatColumn('averageSurveyScore', 4, 'en'), '4.0');
  assert.equal(formatColumn('offered', 12345, 'en'), '12,345');
  assert.equal(formatColumn('serviceLevel', null, 'en'), MISSING);
  assert.equal(formatColumn('asaSeconds', undefined, 'en'), MISSING);
});

test('durations: m:ss under an hour, h:mm:ss above, rounded to the second', () => {
  assert.deepEqual([0, 59.6, 75, 3600, 3725.4].map(formatDuration), ['0:00', '1:00', '1:15', '1:00:00', '1:02:05']);
});
