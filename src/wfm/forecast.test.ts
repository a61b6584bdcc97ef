import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { isDomainError } from '../kernel/index.ts';
import { agentsForAsa, agentsForServiceLevel } from './erlang-c.ts';
import { forecastContacts, staffingPlan, type Forecast, type HistoryInterval } from './forecast.ts';

const NY = 'America/New_York';

/** A known weekly pattern: contacts by ISO weekday and local time of day. */
const pattern = (weekday: number, minuteOfDay: number): number => weekday * 1000 + minuteOfDay;

/**
 * History from local `from` (inclusive) to local `to` (exclusive), every real interval of the zone's
 * clock (so a 23- or 25-hour day has 23 or 25 hours), contacts = scale(week index from `to`) · pattern.
 */
function history(zone: string, from: string, to: string, intervalMinutes: number, scale: (weeksBack: number) => number | undefined = () => 1): HistoryInterval[] {
  const out: HistoryInterval[] = [];
  const end = DateTime.fromISO(to, { zone });
  for (let t = DateTime.fromISO(from, { zone }); t < end; t = t.plus({ minutes: intervalMinutes })) {
    const weeksBack = Math.floor(end.diff(t.startOf('day'), 'days').days / 7 - 1e-9);
    const s = scale(weeksBack);
    if (s === undefined) continue;
    out.push({ start: t.toUTC().toISO()!, contacts: s * pattern(t.weekday, t.hour * 60 + t.minute) });
  }
  return out;
}

const local = (f: Forecast, zone: string) => f.intervals.map((i) => ({ ...i, at: DateTime.fromISO(i.start, { zone }) }));

const fieldOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    assert.ok(isDomainError(e), `a DomainError, got ${String(e)}`);
    assert.equal(e.code, 'SB_VALIDATION');
    return e.details?.['field'];
  }
  assert.fail('expected a validation error');
};

describe('seasonal forecast', () => {
  test('a history with a known weekly pattern is reproduced exactly, per weekday and time of day', () => {
    // Four weeks of 30-minute intervals, Monday 2026-01-05 to Sunday 2026-02-01, in Shanghai (no DST).
    const zone = 'Asia/Shanghai';
    const f = forecastContacts({ history: history(zone, '2026-01-05T00:00', '2026-02-02T00:00', 30), intervalMinutes: 30, horizonDays: 7, timeZone: zone });
    assert.equal(f.trend, 1);
    assert.equal(f.intervals.length, 7 * 48);
    const first = DateTime.fromISO('2026-02-02T00:00', { zone }).toMillis();
    local(f, zone).forEach((i, n) => {
      assert.equal(i.at.toMillis(), first + n * 30 * 60_000, 'consecutive intervals from the end of the history');
      assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60 + i.at.minute), i.localStart);
      assert.equal(i.localStart, i.at.setZone(zone).toISO());
    });
    assert.equal(f.intervals[0]!.start, '2026-02-01T16:00:00.000Z');
  });

  test('intervals left out of a day with history count as no contacts; slots never seen forecast 0', () => {
    const zone = 'Asia/Kolkata';
    // Open 09:00–17:00 on weekdays only: nights and weekends never appear in the history.
    const open = history(zone, '2026-01-05T00:00', '2026-02-02T00:00', 60).filter((h) => {
      const t = DateTime.fromISO(h.start, { zone });
      return t.weekday <= 5 && t.hour >= 9 && t.hour < 17;
    });
    const f = forecastContacts({ history: open, intervalMinutes: 60, horizonDays: 7, timeZone: zone });
    assert.equal(f.intervals[0]!.localStart, '2026-01-30T17:00:00.000+05:30', 'from the end of the last interval, Friday 17:00');
    assert.equal(f.intervals.length, 7 + 7 * 24);
    for (const i of local(f, zone)) {
      const expected = i.at.weekday <= 5 && i.at.hour >= 9 && i.at.hour < 17 ? pattern(i.at.weekday, i.at.hour * 60) : 0;
      assert.equal(i.contacts, expected, i.localStart);
    }
    // Local hours of a +05:30 zone fall on half hours of UTC.
    assert.equal(f.intervals[0]!.start, '2026-01-30T11:30:00.000Z');
  });

  test('a history that ends mid-day forecasts the rest of that day from the weeks before', () => {
    const zone = 'Europe/Berlin';
    const h = history(zone, '2026-01-05T00:00', '2026-01-28T12:00', 15);
    const f = forecastContacts({ history: h, intervalMinutes: 15, horizonDays: 1, timeZone: zone });
    assert.equal(f.intervals[0]!.localStart, '2026-01-28T12:00:00.000+01:00');
    assert.equal(f.intervals.length, 48 + 96);
    for (const i of local(f, zone)) assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60 + i.at.minute), i.localStart);
  });
});

describe('trend', () => {
  // weeks back 0 (most recent) … 3; default weights 4, 3, 2, 1; trend M = 2 weeks against the 2 before.
  const zone = 'Asia/Shanghai';
  const run = (scales: number[], trend?: boolean) => forecastContacts({
    history: history(zone, '2026-01-05T00:00', '2026-02-02T00:00', 60, (k) => scales[k]),
    intervalMinutes: 60, horizonDays: 7, timeZone: zone, ...(trend === undefined ? {} : { trend }),
  });
  const check = (f: Forecast, factor: number): void => {
    for (const i of local(f, zone)) {
      const expected = factor * pattern(i.at.weekday, i.at.hour * 60);
      assert.ok(Math.abs(i.contacts - expected) <= 1e-9 * expected, `${i.localStart}: ${i.contacts} vs ${expected}`);
    }
  };

  test('growing volume: the weighted average is scaled up by recent weeks against earlier ones', () => {
    const f = run([2, 2, 1, 1]);
    assert.equal(f.trend, 2);
    check(f, 2 * ((4 * 2 + 3 * 2 + 2 * 1 + 1 * 1) / 10));
  });

  test('falling volume: scaled down', () => {
    const f = run([1, 1, 2, 2]);
    assert.equal(f.trend, 0.5);
    check(f, 0.5 * ((4 * 1 + 3 * 1 + 2 * 2 + 1 * 2) / 10));
  });

  test('trend off: the weighted average alone', () => {
    const f = run([2, 2, 1, 1], false);
    assert.equal(f.trend, 1);
    check(f, (4 * 2 + 3 * 2 + 2 * 1 + 1 * 1) / 10);
  });

  test('custom weights, most recent week first', () => {
    const f = forecastContacts({
      history: history(zone, '2026-01-05T00:00', '2026-02-02T00:00', 60, (k) => [4, 3, 2, 1][k]),
      intervalMinutes: 60, horizonDays: 1, timeZone: zone, weights: [1, 0, 0, 1], trend: false,
    });
    check(f, (4 + 1) / 2);
  });

  test('the partial first day of history stays out of the trend', () => {
    // History starts at noon on Monday, 2026-01-05: that day is half as busy, which must not read as growth.
    const h = history(zone, '2026-01-05T12:00', '2026-02-02T00:00', 60);
    assert.equal(forecastContacts({ history: h, intervalMinutes: 60, horizonDays: 7, timeZone: zone }).trend, 1);
  });
});

describe('missing weeks', () => {
  const zone = 'Asia/Shanghai';

  test('a week with no history at all is left out, not read as a week without contacts', () => {
    const h = history(zone, '2026-01-05T00:00', '2026-02-02T00:00', 60, (k) => (k === 1 ? undefined : 1));
    const f = forecastContacts({ history: h, intervalMinutes: 60, horizonDays: 7, timeZone: zone });
    assert.equal(f.trend, 1);
    for (const i of local(f, zone)) assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60), i.localStart);
  });

  test('the remaining weeks keep their own weights', () => {
    const scales = [3, undefined, 2, 1];
    const h = history(zone, '2026-01-05T00:00', '2026-02-02T00:00', 60, (k) => scales[k]);
    const f = forecastContacts({ history: h, intervalMinutes: 60, horizonDays: 1, timeZone: zone, trend: false });
    for (const i of local(f, zone)) {
      const expected = ((4 * 3 + 2 * 2 + 1 * 1) / 7) * pattern(i.at.weekday, i.at.hour * 60);
      assert.ok(Math.abs(i.contacts - expected) <= 1e-9 * expected, i.localStart);
    }
  });

  test('fewer weeks of history than K: the weeks there are', () => {
    const h = history(zone, '2026-01-26T00:00', '2026-02-02T00:00', 60);
    const f = forecastContacts({ history: h, intervalMinutes: 60, horizonDays: 14, timeZone: zone, weeks: 8 });
    assert.equal(f.trend, 1);
    assert.equal(f.intervals.length, 14 * 24);
    for (const i of local(f, zone)) assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60), i.localStart);
  });
});

describe('daylight saving time in America/New_York', () => {
  test('the spring-forward Sunday (2026-03-08) has 23 hours: no 02:00, and 03:00 EDT follows 01:00 EST', () => {
    const f = forecastContacts({ history: history(NY, '2026-02-08T00:00', '2026-03-08T00:00', 60), intervalMinutes: 60, horizonDays: 7, timeZone: NY });
    assert.equal(f.intervals.length, 7 * 24 - 1);
    const sunday = f.intervals.filter((i) => i.localStart.startsWith('2026-03-08'));
    assert.equal(sunday.length, 23);
    assert.deepEqual(sunday.slice(1, 3).map((i) => [i.start, i.localStart]), [
      ['2026-03-08T06:00:00.000Z', '2026-03-08T01:00:00.000-05:00'],
      ['2026-03-08T07:00:00.000Z', '2026-03-08T03:00:00.000-04:00'],
    ]);
    for (const i of local(f, NY)) assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60), i.localStart);
  });

  test('the fall-back Sunday (2026-11-01) has 25 hours: 01:00 EDT and 01:00 EST are both forecast', () => {
    const f = forecastContacts({ history: history(NY, '2026-10-04T00:00', '2026-11-01T00:00', 15), intervalMinutes: 15, horizonDays: 1, timeZone: NY });
    assert.equal(f.intervals.length, 100);
    const repeated = f.intervals.filter((i) => i.localStart.startsWith('2026-11-01T01:00'));
    assert.deepEqual(repeated.map((i) => [i.start, i.localStart]), [
      ['2026-11-01T05:00:00.000Z', '2026-11-01T01:00:00.000-04:00'],
      ['2026-11-01T06:00:00.000Z', '2026-11-01T01:00:00.000-05:00'],
    ]);
    for (const i of local(f, NY)) assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60 + i.at.minute), i.localStart);
  });

  test('a history across both changes: the skipped hour is missing, the repeated hour counts per interval', () => {
    // Four weeks ending on the Saturday after each change; a DST Sunday is one of the four Sundays.
    for (const [from, to] of [['2026-02-15T00:00', '2026-03-15T00:00'], ['2026-10-11T00:00', '2026-11-08T00:00']] as const) {
      const h = history(NY, from, to, 30);
      const f = forecastContacts({ history: h, intervalMinutes: 30, horizonDays: 7, timeZone: NY });
      assert.equal(f.trend, 1, `${from}: the 23- or 25-hour day is not a change in volume`);
      assert.equal(f.intervals.length, 7 * 48);
      for (const i of local(f, NY)) assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60 + i.at.minute), i.localStart);
    }
  });
});

describe('a half-hour daylight saving shift', () => {
  test('Lord Howe Island moves from +10:30 to +11:00 at 02:00 on 2026-10-04: 47 half-hour intervals, no 02:00', () => {
    const zone = 'Australia/Lord_Howe';
    const f = forecastContacts({ history: history(zone, '2026-09-06T00:00', '2026-10-04T00:00', 30), intervalMinutes: 30, horizonDays: 1, timeZone: zone });
    assert.equal(f.intervals.length, 47);
    assert.deepEqual(f.intervals.slice(3, 5).map((i) => [i.start, i.localStart]), [
      ['2026-10-03T15:00:00.000Z', '2026-10-04T01:30:00.000+10:30'],
      ['2026-10-03T15:30:00.000Z', '2026-10-04T02:30:00.000+11:00'],
    ]);
    for (const i of local(f, zone)) assert.equal(i.contacts, pattern(i.at.weekday, i.at.hour * 60 + i.at.minute), i.localStart);
  });
});

describe('staffing plan', () => {
  test('agents per forecast interval by Erlang C, 0 for an interval without contacts', () => {
    const zone = 'UTC';
    const h: HistoryInterval[] = [];
    for (let d = 0; d < 28; d++) {
      for (let m = 0; m < 1440; m += 30) {
        const t = Date.UTC(2026, 0, 5 + d, 0, m);
        h.push({ start: new Date(t).toISOString(), contacts: m === 9 * 60 ? 100 : m === 10 * 60 ? 250 : 0 });
      }
    }
    const f = forecastContacts({ history: h, intervalMinutes: 30, horizonDays: 1, timeZone: zone });
    const plan = staffingPlan(f, 180, { serviceLevel: { percent: 80, seconds: 20 }, shrinkage: 0.3 });
    assert.equal(plan.length, 48);
    const at = (hhmm: string) => plan.find((p) => p.start === `2026-02-02T${hhmm}:00.000Z`)!;
    assert.deepEqual([at('09:00').staffing.agents, at('09:00').staffing.scheduledAgents], [14, 20]);
    assert.deepEqual(at('10:00').staffing, agentsForServiceLevel(250, 180, 1800, 80, 20, { shrinkage: 0.3 }));
    assert.deepEqual([at('03:00').contacts, at('03:00').staffing.agents, at('03:00').staffing.scheduledAgents], [0, 0, 0]);
    const asa = staffingPlan(f, 180, { asaSeconds: 20, maxOccupancy: 0.7 });
    assert.deepEqual(asa.find((p) => p.start.endsWith('T09:00:00.000Z'))!.staffing, agentsForAsa(100, 180, 1800, 20, { maxOccupancy: 0.7 }));
  });
});

describe('invalid inputs are refused naming the field', () => {
  const base = { history: [{ start: '2026-01-05T09:00:00Z', contacts: 3 }], intervalMinutes: 30, horizonDays: 7, timeZone: 'UTC' };
  const cases: [string, Record<string, unknown>, string][] = [
    ['empty history', { history: [] }, 'history'],
    ['a start without an offset', { history: [{ start: '2026-01-05T09:00:00', contacts: 3 }] }, 'history.0.start'],
    ['a start that is not a date', { history: [{ start: '2026-02-30T09:00:00Z', contacts: 3 }] }, 'history.0.start'],
    ['a start off the interval grid', { history: [{ start: '2026-01-05T09:10:00Z', contacts: 3 }] }, 'history.0.start'],
    ['a start on a UTC hour that is a half hour in Kolkata', { timeZone: 'Asia/Kolkata', intervalMinutes: 60, history: [{ start: '2026-01-05T09:00:00Z', contacts: 3 }] }, 'history.0.start'],
    ['a repeated start', { history: [{ start: '2026-01-05T09:00:00Z', contacts: 3 }, { start: '2026-01-05T10:00:00+01:00', contacts: 1 }] }, 'history.1.start'],
    ['negative contacts', { history: [{ start: '2026-01-05T09:00:00Z', contacts: -1 }] }, 'history.0.contacts'],
    ['contacts that are not a number', { history: [{ start: '2026-01-05T09:00:00Z', contacts: Number.NaN }] }, 'history.0.contacts'],
    ['a 20-minute interval', { intervalMinutes: 20 }, 'intervalMinutes'],
    ['no horizon', { horizonDays: 0 }, 'horizonDays'],
    ['a horizon past the maximum', { horizonDays: 93 }, 'horizonDays'],
    ['a fractional horizon', { horizonDays: 1.5 }, 'horizonDays'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['no weeks', { weeks: 0 }, 'weeks'],
    ['weights not one per week', { weeks: 2, weights: [1] }, 'weights'],
    ['a negative weight', { weeks: 2, weights: [1, -1] }, 'weights.1'],
    ['all weights 0', { weeks: 2, weights: [0, 0] }, 'weights'],
  ];
  for (const [what, change, field] of cases) {
    test(what, () => {
      assert.equal(fieldOf(() => forecastContacts({ ...base, ...change } as Parameters<typeof forecastContacts>[0])), field);
    });
  }
});
