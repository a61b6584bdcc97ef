// Report periods in the tenant's time zone: local days of 23 and 25 hours, intervals across DST
// changes, zones off the hour, ISO weeks and months.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, intervalOf, localSpan, periodOfDate, quarterPeriod, reportPeriods, splitSpan, weekOf } from './periods.ts';

const H = 3_600_000;

describe('local days', () => {
  test('the spring-forward day in New York lasts 23 hours, the fall-back day 25', () => {
    const spring = localSpan('America/New_York', '2026-03-08', '2026-03-08');
    assert.equal(spring.end - spring.start, 23 * H);
    const fall = localSpan('America/New_York', '2026-11-01', '2026-11-01');
    assert.equal(fall.end - fall.start, 25 * H);
  });
  test('a stretch across local midnight splits into the two dates (Shanghai, UTC+8)', () => {
    const start = Date.UTC(2026, 2, 1, 15, 50);
    const { days, quarters } = splitSpan('Asia/Shanghai', start, start + 20 * 60_000);
    assert.deepEqual([...days], [['2026-03-01', 10 * 60_000], ['2026-03-02', 10 * 60_000]]);
    assert.deepEqual([...quarters], [['2026-03-01T15:45:00.000Z', 10 * 60_000], ['2026-03-01T16:00:00.000Z', 10 * 60_000]]);
  });
});

describe('intervals', () => {
  test('a day of 15-minute intervals has 92 of them on the spring-forward day and 100 on the fall-back day', () => {
    assert.equal(reportPeriods('America/New_York', '2026-03-08', '2026-03-08', 'interval', 15).length, 92);
    assert.equal(reportPeriods('America/New_York', '2026-11-01', '2026-11-01', 'interval', 15).length, 100);
    assert.equal(reportPeriods('America/New_York', '2026-11-01', '2026-11-01', 'interval', 60).length, 25);
  });
  test('the repeated hour of the fall-back day is two intervals, told apart by their offsets', () => {
    const hours = reportPeriods('America/New_York', '2026-11-01', '2026-11-01', 'interval', 60).map((p) => p.label);
    assert.deepEqual(hours.slice(0, 4), ['2026-11-01T00:00-04:00', '2026-11-01T01:00-04:00', '2026-11-01T01:00-05:00', '2026-11-01T02:00-05:00']);
  });
  test('hour intervals follow local hours in a zone 45 minutes off the hour (Kathmandu, UTC+5:45)', () => {
    const q = Date.parse(quarterPeriod(Date.UTC(2026, 0, 5, 4, 40)));
    assert.deepEqual(intervalOf('Asia/Kathmandu', q, 60), { start: '2026-01-05T04:15:00.000Z', label: '2026-01-05T10:00+05:45' });
    assert.deepEqual(intervalOf('Asia/Kathmandu', q, 30), { start: '2026-01-05T04:15:00.000Z', label: '2026-01-05T10:00+05:45' });
    assert.deepEqual(intervalOf('Asia/Kathmandu', Date.UTC(2026, 0, 5, 4, 45), 30), { start: '2026-01-05T04:45:00.000Z', label: '2026-01-05T10:30+05:45' });
  });
});

describe('weeks and months', () => {
  test('ISO weeks start on Monday', () => {
    assert.equal(weekOf('2026-03-08'), '2026-03-02');
    assert.equal(weekOf('2026-03-09'), '2026-03-09');
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  });
  test('a month starts at its local midnight', () => {
    assert.deepEqual(periodOfDate('Asia/Taipei', '2026-03-17', 'month'), { start: '2026-02-28T16:00:00.000Z', label: '2026-03' });
    assert.deepEqual(reportPeriods('Asia/Taipei', '2026-01-30', '2026-03-02', 'month').map((p) => p.label), ['2026-01', '2026-02', '2026-03']);
    assert.deepEqual(reportPeriods('UTC', '2026-03-01', '2026-03-16', 'week').map((p) => p.label), ['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16']);
  });
});
