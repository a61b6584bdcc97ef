// The forecast's history from interval reports (pure; run with node --test), checked against the
// real forecast (src/wfm): K weeks ending yesterday make a forecast that starts today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastContacts } from '../../../../src/wfm/index.ts';
import { historyAht, historyOf, historyRange, historySpans, SPAN_DAYS } from './forecast-history.ts';
import type { Report, ReportRow } from './reports-api.ts';

test('K weeks end with yesterday; pieces of at most 28 days cover them without overlap', () => {
  assert.deepEqual(historyRange('2026-12-01', 4), { from: '2026-11-03', to: '2026-11-30' });
  assert.deepEqual(historySpans({ from: '2026-11-03', to: '2026-11-30' }), [{ from: '2026-11-03', to: '2026-11-30' }]);
  assert.deepEqual(historySpans(historyRange('2026-12-01', 9)), [
    { from: '2026-09-29', to: '2026-10-26' }, { from: '2026-10-27', to: '2026-11-23' }, { from: '2026-11-24', to: '2026-11-30' },
  ]);
  assert.ok(SPAN_DAYS <= 31);
});

/** An hourly report of Asia/Shanghai (UTC+8) over `days` days from `from`, with `rows`. */
function hourly(from: string, days: number, rows: ReportRow[], totals: ReportRow[] = []): Report {
  const first = Date.parse(`${from}T00:00:00+08:00`);
  const periods = Array.from({ length: days * 24 }, (_, h) => {
    const start = new Date(first + h * 3_600_000).toISOString();
    return { start, label: start };
  });
  return { by: 'queue', grain: 'interval', intervalMinutes: 60, timeZone: 'Asia/Shanghai', from, to: from, periods, rows, totals };
}
const at = (local: string) => new Date(Date.parse(`${local}:00+08:00`)).toISOString();
const row = (periodStart: string, key: string, offered: number | null, extra: Record<string, number | null> = {}): ReportRow => ({ periodStart, period: periodStart, key, name: key, offered, ...extra });

test('every period is in the history, 0 where nothing was counted, keys summed', () => {
  const r = hourly('2026-11-30', 1, [row(at('2026-11-30T10:00'), 'sales', 3), row(at('2026-11-30T10:00'), 'support', 2), row(at('2026-11-30T11:00'), 'sales', 1)]);
  const h = historyOf([r]);
  assert.equal(h.length, 24);
  assert.deepEqual(h.filter((x) => x.contacts > 0), [{ start: at('2026-11-30T10:00'), contacts: 5 }, { start: at('2026-11-30T11:00'), contacts: 1 }]);
});

test('the history drives the real forecast, which starts today and repeats last week\'s Tuesday', () => {
  const reports = historySpans(historyRange('2026-12-01', 2)).map((s) => {
    const days = (Date.parse(s.to) - Date.parse(s.from)) / 86_400_000 + 1;
    return hourly(s.from, days, [row(at('2026-11-24T10:00'), 'sales', 6), row(at('2026-11-17T10:00'), 'sales', 6)]);
  });
  const f = forecastContacts({ history: historyOf(reports), intervalMinutes: 60, horizonDays: 1, timeZone: 'Asia/Shanghai', weeks: 2 });
  assert.equal(f.intervals.length, 24);
  assert.equal(f.intervals[0]!.start, at('2026-12-01T00:00'));
  assert.equal(f.intervals.find((i) => i.start === at('2026-12-01T10:00'))!.contacts, 6);
  assert.equal(f.intervals.filter((i) => i.contacts > 0).length, 1);
});

test('AHT of the history weighs each key by its handled contacts', () => {
  const r = hourly('2026-11-30', 1, [], [row('t', 'a', 0, { handled: 1, ahtSeconds: 100 }), row('t', 'b', 0, { handled: 3, ahtSeconds: 200 }), row('t', 'c', 0, { handled: 0, ahtSeconds: null })]);
  assert.equal(historyAht([r]), 175);
  assert.equal(historyAht([hourly('2026-11-30', 1, [])]), null);
});
