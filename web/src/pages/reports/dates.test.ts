// Local dates of the workspace and the forms' ranges (pure; run with node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, daysBetween, localDate, thisMonthRange, thisWeekRange, todayRange, weekStart } from './dates.ts';

test('the local date is the workspace\'s, not UTC\'s', () => {
  const ms = Date.UTC(2026, 10, 22, 17, 30);
  assert.equal(localDate('Asia/Shanghai', ms), '2026-11-23');
  assert.equal(localDate('America/New_York', ms), '2026-11-22');
  assert.equal(localDate('UTC', ms), '2026-11-22');
});

test('date arithmetic across months, years and a DST change', () => {
  assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-03-09', -1), '2026-03-08');
  assert.equal(daysBetween('2026-11-01', '2026-12-01'), 30);
});

test('ranges: today, this ISO week from Monday, this month', () => {
  assert.deepEqual(todayRange('2026-12-01'), { from: '2026-12-01', to: '2026-12-01' });
  assert.equal(weekStart('2026-12-01'), '2026-11-30');
  assert.equal(weekStart('2026-11-30'), '2026-11-30');
  assert.equal(weekStart('2026-12-06'), '2026-11-30');
  assert.deepEqual(thisWeekRange('2027-01-01'), { from: '2026-12-28', to: '2027-01-01' });
  assert.deepEqual(thisMonthRange('2026-12-17'), { from: '2026-12-01', to: '2026-12-17' });
});
