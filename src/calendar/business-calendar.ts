// Business calendars: weekly opening hours and holidays on the wall clock of one IANA time zone,
// and the arithmetic of open time. Pure: no I/O and no clock; instants are epoch milliseconds (UTC).
//
// A local wall-clock time names the first instant at which the zone's clock reads that time or
// later. So in a spring-forward gap a time that does not exist names the end of the gap (02:30 on
// 2026-03-08 in America/New_York is 03:00 EDT), and a time that repeats in a fall-back names its
// first occurrence (01:30 on 2026-11-01 there is 01:30 EDT). A range therefore lasts its real
// elapsed time: 00:00-03:00 on a fall-back day is open four hours, on a spring-forward day two.
import { DateTime, IANAZone } from 'luxon';

/** The days of the week, valued by their ISO 8601 day number (Monday = 1). */
export const Weekday = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;
export type Weekday = keyof typeof Weekday;
export const WEEKDAYS = Object.keys(Weekday) as readonly Weekday[];

/** Open from `start` to `end`, local 'HH:MM'; `end` is after `start` and may be '24:00'. */
export interface OpeningRange {
  start: string;
  end: string;
}

export interface Holiday {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  name: string;
  /** Absent or empty: closed all day. Otherwise these hours replace the weekly ones on that date. */
  hours?: OpeningRange[];
}

export interface BusinessCalendar {
  /** IANA time zone name, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  /** Per day: ranges sorted by start and not overlapping; an overnight shift is two ranges on two days. */
  weekly: Record<Weekday, OpeningRange[]>;
  /** Sorted by date, at most one per date. */
  holidays: Holiday[];
}

export type CalendarCheck = { ok: true; calendar: BusinessCalendar } | { ok: false; field: string; message: string };

/** How far ahead `nextOpening`, `nextClosing` and `addBusinessMs` look for a change before giving up. */
export const HORIZON_DAYS = 400;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const HORIZON_MS = HORIZON_DAYS * DAY_MS;
const START_TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
const END_TIME = /^(?:([01][0-9]|2[0-3]):([0-5][0-9])|(24):(00))$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

class Rejection {
  readonly field: string;
  readonly message: string;

  constructor(field: string, message: string) {
    this.field = field;
    this.message = message;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function record(v: unknown, field: string, allowed: readonly string[], required: readonly string[]): Record<string, unknown> {
  if (!isRecord(v)) throw new Rejection(field || 'calendar', `${field || 'the calendar'} must be an object`);
  const at = (key: string) => (field ? `${field}.${key}` : key);
  for (const key of Object.keys(v)) if (!allowed.includes(key)) throw new Rejection(at(key), `unknown field '${at(key)}'`);
  for (const key of required) if (v[key] === undefined) throw new Rejection(at(key), `'${at(key)}' is required`);
  return v;
}

/** A valid IANA zone name (spelled as the time-zone database spells it), or undefined. */
function zoneName(name: string): string | undefined {
  if (!/^[A-Za-z]/.test(name) || !IANAZone.isValidZone(name)) return undefined;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

/** Days since 1970-01-01 of a valid YYYY-MM-DD, or undefined. */
function epochDay(date: string): number | undefined {
  if (!DATE.test(date)) return undefined;
  const d = DateTime.fromISO(date, { zone: 'utc' });
  return d.isValid ? d.toMillis() / DAY_MS : undefined;
}

const minutesOf = (m: RegExpExecArray): number => Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);

function ranges(v: unknown, field: string): OpeningRange[] {
  if (!Array.isArray(v)) throw new Rejection(field, `${field} must be a list of opening ranges`);
  let previousEnd = -1;
  return v.map((item, i) => {
    const at = `${field}.${i}`;
    const r = record(item, at, ['start', 'end'], ['start', 'end']);
    const start = typeof r['start'] === 'string' ? START_TIME.exec(r['start']) : null;
    if (!start) throw new Rejection(`${at}.start`, `${at}.start must be a local time HH:MM from 00:00 to 23:59`);
    const end = typeof r['end'] === 'string' ? END_TIME.exec(r['end']) : null;
    if (!end) throw new Rejection(`${at}.end`, `${at}.end must be a local time HH:MM from 00:01 to 24:00`);
    const s = minutesOf(start);
    const e = minutesOf(end);
    if (e <= s) throw new Rejection(`${at}.end`, `${at}.end must be after its start (an overnight shift is two ranges on two days)`);
    if (s < previousEnd) throw new Rejection(`${at}.start`, `${at}.start must not be before the end of the range before it (ranges are sorted and do not overlap)`);
    previousEnd = e;
    return { start: start[0], end: end[0] };
  });
}

/** Checks a calendar from outside and returns a clean copy (holidays sorted by date), or the first offending field. */
export function validateCalendar(input: unknown): CalendarCheck {
  try {
    const c = record(input, '', ['timeZone', 'weekly', 'holidays'], ['timeZone', 'weekly']);
    const timeZone = typeof c['timeZone'] === 'string' ? zoneName(c['timeZone']) : undefined;
    if (!timeZone) throw new Rejection('timeZone', 'timeZone must be an IANA time zone name such as Asia/Shanghai');
    const w = record(c['weekly'], 'weekly', WEEKDAYS, WEEKDAYS);
    const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, ranges(w[d], `weekly.${d}`)])) as Record<Weekday, OpeningRange[]>;
    const list = c['holidays'] ?? [];
    if (!Array.isArray(list)) throw new Rejection('holidays', 'holidays must be a list');
    const seen = new Set<string>();
    const holidays = list.map((item, i): Holiday => {
      const at = `holidays.${i}`;
      const h = record(item, at, ['date', 'name', 'hours'], ['date', 'name']);
      const date = h['date'];
      if (typeof date !== 'string' || epochDay(date) === undefined) throw new Rejection(`${at}.date`, `${at}.date must be a calendar date YYYY-MM-DD`);
      if (seen.has(date)) throw new Rejection(`${at}.date`, `${at}.date ${date} has another holiday already`);
      seen.add(date);
      const name = h['name'];
      if (typeof name !== 'string' || name.trim() === '') throw new Rejection(`${at}.name`, `${at}.name must be a non-empty text`);
      return h['hours'] === undefined ? { date, name } : { date, name, hours: ranges(h['hours'], `${at}.hours`) };
    });
    holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return { ok: true, calendar: { timeZone, weekly, holidays } };
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, field: e.field, message: e.message };
    throw e;
  }
}

type Minutes = readonly (readonly [number, number])[];

interface Compiled {
  zone: IANAZone;
  /** Indexed by ISO day number. */
  weekly: Minutes[];
  /** By epoch day. */
  holidays: Map<number, Minutes>;
}

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`unknown time zone ${timeZone}`);
  return zone;
}

function toMinutes(list: readonly OpeningRange[]): Minutes {
  return list.map((r) => {
    const s = START_TIME.exec(r.start);
    const e = END_TIME.exec(r.end);
    if (!s || !e) throw new RangeError(`opening range ${r.start}-${r.end} is not valid`);
    return [minutesOf(s), minutesOf(e)] as const;
  });
}

function compile(cal: BusinessCalendar): Compiled {
  const weekly: Minutes[] = [[]];
  for (const d of WEEKDAYS) weekly[Weekday[d]] = toMinutes(cal.weekly[d]);
  const holidays = new Map<number, Minutes>();
  for (const h of cal.holidays) {
    const day = epochDay(h.date);
    if (day === undefined) throw new RangeError(`holiday date ${h.date} is not valid`);
    holidays.set(day, toMinutes(h.hours ?? []));
  }
  return { zone: zoneOf(cal.timeZone), weekly, holidays };
}

const offsetMs = (zone: IANAZone, at: number): number => zone.offset(at) * MINUTE_MS;

/**
 * The first instant at which the zone's clock reads `wall` or later; `wall` is a local date and
 * time counted in milliseconds as if it were UTC. Assumes at most one offset change within a day
 * either side, which holds for every zone of the tz database from 1970 to 2037.
 */
function wallInstant(zone: IANAZone, wall: number): number {
  const before = offsetMs(zone, wall - DAY_MS);
  const after = offsetMs(zone, wall + DAY_MS);
  let first: number | undefined;
  for (const offset of [before, after]) {
    const t = wall - offset;
    if (offsetMs(zone, t) === offset && (first === undefined || t < first)) first = t;
  }
  if (first !== undefined) return first;
  // In a spring-forward gap: the clock jumps over `wall` at the change, found by bisection.
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The local date of an instant, as days since 1970-01-01. */
function localDay(zone: IANAZone, at: number): number {
  return DateTime.fromMillis(at, { zone }).setZone('utc', { keepLocalTime: true }).startOf('day').toMillis() / DAY_MS;
}

/** ISO day number of an epoch day (1970-01-01 was a Thursday). */
const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

interface Span {
  start: number;
  end: number;
}

/**
 * Open time as maximal spans [start, end), in order, from the local day before `from` through the
 * day in which `until` falls. Ranges that touch (18:00-24:00 then 00:00-06:00) form one span. A span
 * that reaches the end of the last day looked at may go on: an end after `until` is not a closing.
 */
function* spans(c: Compiled, from: number, until: number): Generator<Span> {
  let day = localDay(c.zone, from) - 1;
  let dayStart = wallInstant(c.zone, day * DAY_MS);
  let dayOffset = offsetMs(c.zone, dayStart);
  let pending: Span | undefined;
  while (dayStart <= until) {
    // The same offset at both ends of the day, with its midnight where that offset puts it, means no
    // change within it, so every wall time maps by it. A day that begins in a gap (a change at
    // midnight, as in Santiago) is not steady: its first wall times do not exist (wallInstant puts them at the change).
    const guess = (day + 1) * DAY_MS - dayOffset;
    const steady = offsetMs(c.zone, guess) === dayOffset && dayStart === day * DAY_MS - dayOffset;
    const nextStart = steady ? guess : wallInstant(c.zone, (day + 1) * DAY_MS);
    const nextOffset = steady ? dayOffset : offsetMs(c.zone, nextStart);
    const instant = (minutes: number) => {
      const wall = day * DAY_MS + minutes * MINUTE_MS;
      return steady ? wall - dayOffset : minutes === 1440 ? nextStart : wallInstant(c.zone, wall);
    };
    for (const [s, e] of c.holidays.get(day) ?? c.weekly[isoWeekday(day)] ?? []) {
      const start = instant(s);
      const end = instant(e);
      if (start >= end) continue;
      if (pending && start <= pending.end) {
        pending.end = Math.max(pending.end, end);
        continue;
      }
      if (pending) yield pending;
      pending = { start, end };
    }
    if (pending && pending.end < nextStart) {
      yield pending;
      pending = undefined;
    }
    day += 1;
    dayStart = nextStart;
    dayOffset = nextOffset;
  }
  if (pending) yield pending;
}

function checkInstant(at: number, what: string): void {
  if (!Number.isFinite(at)) throw new RangeError(`${what} must be a finite instant in epoch milliseconds`);
}

/** Whether the calendar is open at `at`. Expects a calendar that passed `validateCalendar`. */
export function isOpen(cal: BusinessCalendar, at: number): boolean {
  checkInstant(at, 'at');
  for (const span of spans(compile(cal), at, at)) {
    if (span.start > at) return false;
    if (at < span.end) return true;
  }
  return false;
}

/** The next instant after `at` at which the calendar goes from closed to open; undefined if none within HORIZON_DAYS. */
export function nextOpening(cal: BusinessCalendar, at: number): number | undefined {
  checkInstant(at, 'at');
  const limit = at + HORIZON_MS;
  for (const span of spans(compile(cal), at, limit)) {
    if (span.start > at) return span.start <= limit ? span.start : undefined;
  }
  return undefined;
}

/** The next instant after `at` at which the calendar goes from open to closed; undefined if none within HORIZON_DAYS. */
export function nextClosing(cal: BusinessCalendar, at: number): number | undefined {
  checkInstant(at, 'at');
  const limit = at + HORIZON_MS;
  for (const span of spans(compile(cal), at, limit)) {
    if (span.end > at) return span.end <= limit ? span.end : undefined;
  }
  return undefined;
}

/** Open time between two instants in real milliseconds (SLA elapsed time); 0 when `to` is not after `from`. */
export function businessMsBetween(cal: BusinessCalendar, from: number, to: number): number {
  checkInstant(from, 'from');
  checkInstant(to, 'to');
  let total = 0;
  if (to <= from) return total;
  for (const span of spans(compile(cal), from, to)) {
    if (span.start >= to) break;
    total += Math.max(0, Math.min(span.end, to) - Math.max(span.start, from));
  }
  return total;
}

/**
 * The first instant at which `ms` of open time has passed since `from` (SLA due time): `from` itself
 * for 0, a closing time when the open time runs out exactly there. Undefined when the calendar stays
 * closed for HORIZON_DAYS on end before the time is used up.
 */
export function addBusinessMs(cal: BusinessCalendar, from: number, ms: number): number | undefined {
  checkInstant(from, 'from');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('ms must be a finite, non-negative number of milliseconds');
  if (ms === 0) return from;
  const c = compile(cal);
  let cursor = from;
  let left = ms;
  for (;;) {
    let used = false;
    for (const span of spans(c, cursor, cursor + HORIZON_MS)) {
      if (span.end <= cursor) continue;
      used = true;
      const start = Math.max(span.start, cursor);
      if (span.end - start >= left) return start + left;
      left -= span.end - start;
      cursor = span.end;
    }
    if (!used) return undefined;
  }
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(timeZone: string, at: number): string {
  checkInstant(at, 'at');
  return DateTime.fromMillis(at, { zone: zoneOf(timeZone) }).toISODate() ?? '';
}

/**
 * The first instant of a local date: its midnight, or the end of the gap when midnight is skipped
 * (America/Havana on 2026-03-08 starts at 01:00). Reports by local day count [start of D, start of D+1).
 */
export function startOfLocalDay(timeZone: string, date: string): number {
  const day = epochDay(date);
  if (day === undefined) throw new RangeError(`${date} is not a calendar date YYYY-MM-DD`);
  return wallInstant(zoneOf(timeZone), day * DAY_MS);
}
