// Local dates of the workspace (YYYY-MM-DD in its IANA time zone) and the ranges the forms offer:
// today, this ISO week (Monday first, ISO 8601), this month. Pure: the instant is passed in.

const DAY_MS = 86_400_000;

/** The local date in `timeZone` at epoch `ms`. */
export function localDate(timeZone: string, ms: number): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const epochDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOfEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return dateOfEpochDay(epochDay(date) + days);
}

/** Days from `from` to `to` (0 for the same date). */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** The Monday of the ISO week of `date`. */
export function weekStart(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

export const monthStart = (date: string): string => `${date.slice(0, 8)}01`;

export interface DateRange { from: string; to: string }

export const todayRange = (today: string): DateRange => ({ from: today, to: today });
export const thisWeekRange = (today: string): DateRange => ({ from: weekStart(today), to: today });
export const thisMonthRange = (today: string): DateRange => ({ from: monthStart(today), to: today });
