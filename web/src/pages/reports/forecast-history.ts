// The history a forecast is built from: offered contacts per local interval over the past whole
// weeks, read from interval reports (at most 31 days each, so longer spans are read in pieces).
// A forecast slot looks back K weeks from the same weekday (src/wfm/README.md), so K weeks of
// history end with yesterday and the forecast starts today. Pure.
import { addDays, daysBetween, type DateRange } from './dates.ts';
import type { HistoryInterval, Report } from './reports-api.ts';

/** Days per interval report read; the API allows 31. */
export const SPAN_DAYS = 28;

/** `weeks` whole weeks ending with the day before `today`. */
export function historyRange(today: string, weeks: number): DateRange {
  return { from: addDays(today, -7 * weeks), to: addDays(today, -1) };
}

/** The range cut into consecutive pieces of at most SPAN_DAYS days. */
export function historySpans(range: DateRange): DateRange[] {
  const out: DateRange[] = [];
  for (let from = range.from; daysBetween(from, range.to) >= 0; from = addDays(from, SPAN_DAYS)) {
    const end = addDays(from, SPAN_DAYS - 1);
    out.push({ from, to: daysBetween(end, range.to) < 0 ? range.to : end });
  }
  return out;
}

/** Offered contacts of every period of the reports (0 where no row counted), summed over their keys. */
export function historyOf(reports: readonly Report[]): HistoryInterval[] {
  const out: HistoryInterval[] = [];
  for (const r of reports) {
    const sums = new Map<string, number>();
    for (const row of r.rows) {
      const v = row['offered'];
      if (typeof v === 'number') sums.set(row.periodStart, (sums.get(row.periodStart) ?? 0) + v);
    }
    for (const p of r.periods) out.push({ start: p.start, contacts: sums.get(p.start) ?? 0 });
  }
  return out;
}

/** The handled-weighted AHT of the reports' totals, in seconds; null when nothing was handled. */
export function historyAht(reports: readonly Report[]): number | null {
  let handled = 0;
  let seconds = 0;
  for (const r of reports) {
    for (const row of r.totals) {
      const h = row['handled'];
      const aht = row['ahtSeconds'];
      if (typeof h === 'number' && typeof aht === 'number' && h > 0) {
        handled += h;
        seconds += aht * h;
      }
    }
  }
  return handled > 0 ? seconds / handled : null;
}
