// Time cut into report periods, pure: 15-minute UTC intervals (every IANA offset in use is a
// multiple of 15 minutes, so they compose into local 15/30/60-minute intervals and local days) and
// local days of the tenant's time zone, which last 23 or 25 hours on DST changes. Weeks start on
// Monday (ISO 8601); months are calendar months. Instants are epoch milliseconds; dates YYYY-MM-DD.
import { DateTime } from 'luxon';
import { localDate, startOfLocalDay } from '../calendar/index.ts';

export const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export const GRAINS = ['interval', 'day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];
export const INTERVAL_MINUTES = [15, 30, 60] as const;
export type IntervalMinutes = (typeof INTERVAL_MINUTES)[number];

/** The start of the 15-minute UTC interval holding `ms`. */
export const quarterStart = (ms: number): number => Math.floor(ms / QUARTER_MS) * QUARTER_MS;

/** A rollup's 15-minute period: the ISO instant of its start. */
export const quarterPeriod = (ms: number): string => new Date(quarterStart(ms)).toISOString();

/** A rollup's day period: the local date of `ms`. */
export const dayPeriod = (timeZone: string, ms: number): string => localDate(timeZone, ms);

export const dayStart = (timeZone: string, date: string): number => startOfLocalDay(timeZone, date);

/** The date `n` days after `date` (calendar arithmetic, no time zone). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && addDays(s, 0) === s;

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** [start, end) of the local dates from..to (both included). */
export function localSpan(timeZone: string, from: string, to: string): { start: number; end: number } {
  return { start: dayStart(timeZone, from), end: dayStart(timeZone, addDays(to, 1)) };
}

/** The milliseconds of [start, end) in each 15-minute interval and each local day it touches. */
export function splitSpan(timeZone: string, start: number, end: number): { quarters: Map<string, number>; days: Map<string, number> } {
  const quarters = new Map<string, number>();
  const days = new Map<string, number>();
  for (let t = start; t < end;) {
    const next = Math.min(end, quarterStart(t) + QUARTER_MS);
    const q = quarterPeriod(t);
    quarters.set(q, (quarters.get(q) ?? 0) + next - t);
    t = next;
  }
  for (let t = start; t < end;) {
    const date = localDate(timeZone, t);
    const next = Math.min(end, dayStart(timeZone, addDays(date, 1)));
    days.set(date, (days.get(date) ?? 0) + next - t);
    t = next;
  }
  return { quarters, days };
}

/** One row label of a report: its first instant (UTC) and how the tenant reads it. */
export interface Period {
  start: string;
  label: string;
}

const zone = (timeZone: string) => (t: number) => DateTime.fromMillis(t, { zone: timeZone });

/** Local wall time with its offset, e.g. 2026-11-01T01:00-04:00 (the repeated hour differs by offset). */
export function localLabel(timeZone: string, t: number): string {
  return zone(timeZone)(t).toISO({ suppressSeconds: true, suppressMilliseconds: true, includeOffset: true }) ?? '';
}

/** The local 15/30/60-minute interval a 15-minute UTC interval belongs to. */
export function intervalOf(timeZone: string, quarterMs: number, minutes: IntervalMinutes): Period {
  const local = zone(timeZone)(quarterMs);
  const start = quarterMs - ((local.hour * 60 + local.minute) % minutes) * 60_000;
  return { start: new Date(start).toISOString(), label: localLabel(timeZone, start) };
}

/** The Monday (ISO 8601 week) of a date. */
export function weekOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** The day, week or month period of a local date. */
export function periodOfDate(timeZone: string, date: string, grain: Exclude<Grain, 'interval'>): Period {
  const label = grain === 'day' ? date : grain === 'week' ? weekOf(date) : date.slice(0, 7);
  const first = grain === 'month' ? `${label}-01` : label;
  return { start: new Date(dayStart(timeZone, first)).toISOString(), label };
}

/** Every period of a report over the local dates from..to, in order. */
export function reportPeriods(timeZone: string, from: string, to: string, grain: Grain, minutes: IntervalMinutes = 15): Period[] {
  const out: Period[] = [];
  const seen = new Set<string>();
  if (grain === 'interval') {
    const { start, end } = localSpan(timeZone, from, to);
    for (let t = start; t < end; t += QUARTER_MS) {
      const p = intervalOf(timeZone, t, minutes);
      if (!seen.has(p.start)) { seen.add(p.start); out.push(p); }
    }
    return out;
  }
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const p = periodOfDate(timeZone, d, grain);
    if (!seen.has(p.start)) { seen.add(p.start); out.push(p); }
  }
  return out;
}
