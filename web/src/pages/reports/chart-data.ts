// What the report chart draws over the periods of a report for one key: two counts as bars and a
// ratio as a line (queue-like dimensions: offered and answered with the service level; agents and
// teams: offers and handled with occupancy), and how periods are written. Pure.
import type { Dimension, Grain, Period, Report } from './reports-api.ts';

export interface ChartMeasures { bars: readonly [string, string]; line: string }

export function chartMeasures(by: Dimension): ChartMeasures {
  return by === 'agent' || by === 'team'
    ? { bars: ['offers', 'handled'], line: 'occupancy' }
    : { bars: ['offered', 'answered'], line: 'serviceLevel' };
}

export interface ChartData {
  /** One per period of the report, in order. */
  periods: Period[];
  bars: { column: string; values: number[] }[];
  /** null where the ratio has nothing to divide by (no point is drawn). */
  line: { column: string; values: (number | null)[] };
}

/** The chart of `key` over every period of the report: a period without a row counts 0 and has no ratio. */
export function chartData(report: Report, key: string): ChartData {
  const m = chartMeasures(report.by);
  const byPeriod = new Map(report.rows.filter((r) => r.key === key).map((r) => [r.periodStart, r]));
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    periods: report.periods,
    bars: m.bars.map((column) => ({ column, values: report.periods.map((p) => num(byPeriod.get(p.start)?.[column]) ?? 0) })),
    line: { column: m.line, values: report.periods.map((p) => num(byPeriod.get(p.start)?.[m.line])) },
  };
}

const OFFSET = /(?:[+-]\d{2}:\d{2}|Z)$/;

/**
 * How the periods read in the table: interval labels ("2026-11-22T17:00+08:00") as "2026-11-22 17:00",
 * keeping the offset only when the report has more than one (a DST change repeats local times).
 */
export function periodTexts(periods: readonly Period[]): Map<string, string> {
  const offsets = new Set(periods.map((p) => OFFSET.exec(p.label)?.[0] ?? ''));
  const keep = offsets.size > 1;
  return new Map(periods.map((p) => {
    if (!p.label.includes('T')) return [p.label, p.label];
    const text = p.label.replace('T', ' ');
    return [p.label, keep ? text : text.replace(OFFSET, '')];
  }));
}

/** The short tick label of a period on the chart's axis. */
export function tickText(label: string, grain: Grain, oneDay: boolean): string {
  if (grain === 'interval') {
    const [date = '', time = ''] = label.split('T');
    const hhmm = time.slice(0, 5);
    return oneDay ? hhmm : `${date.slice(5)} ${hhmm}`;
  }
  if (grain === 'day') return label.slice(5);
  return label;
}
