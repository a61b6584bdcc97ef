// Contributions and agent state stretches summed into rollup rows, pure: each lands in its
// 15-minute UTC period and its local day; rows with the same grain, dimension, period and key add up.
import type { Contribution } from './contact-facts.ts';
import { addInto, emptyMeasures, isZero } from './measures.ts';
import { dayPeriod, quarterPeriod, quarterStart, splitSpan } from './periods.ts';
import type { RollupRow, StateRow } from './rollups.sql.ts';

/** Which periods a rebuild covers: 15-minute periods in [fromQuarter, toQuarter), days in [fromDay, toDay). */
export interface PeriodRange {
  fromQuarter: string;
  toQuarter: string;
  fromDay: string;
  toDay: string;
}

const inRange = (r: PeriodRange | undefined, grain: '15m' | 'day', period: string): boolean =>
  !r || (grain === '15m' ? period >= r.fromQuarter && period < r.toQuarter : period >= r.fromDay && period < r.toDay);

export class RollupRows {
  readonly #timeZone: string;
  readonly #range: PeriodRange | undefined;
  readonly #rows = new Map<string, RollupRow>();
  readonly #states = new Map<string, StateRow>();

  /** With `range`, only periods inside it are kept (a rebuild). */
  constructor(timeZone: string, range?: PeriodRange) {
    this.#timeZone = timeZone;
    this.#range = range;
  }

  add(contributions: readonly Contribution[], sign = 1): void {
    for (const c of contributions) {
      const q = quarterStart(c.at);
      const [quarter, day] = this.#periodsOf(q);
      this.#addTo('15m', quarter, c, sign);
      this.#addTo('day', day, c, sign);
    }
  }

  // A local day begins on a 15-minute boundary (every offset in use is a multiple of 15 minutes),
  // so the day of a quarter's start is the day of every instant in it.
  readonly #periods = new Map<number, [string, string]>();
  #periodsOf(quarter: number): [string, string] {
    let p = this.#periods.get(quarter);
    if (p === undefined) { p = [quarterPeriod(quarter), dayPeriod(this.#timeZone, quarter)]; this.#periods.set(quarter, p); }
    return p;
  }

  #addTo(grain: '15m' | 'day', period: string, c: Contribution, sign: number): void {
    if (!inRange(this.#range, grain, period)) return;
    const id = `${grain}\u0000${c.dimension}\u0000${period}\u0000${c.key}`;
    let row = this.#rows.get(id);
    if (!row) {
      row = { grain, dimension: c.dimension, period, key: c.key, measures: emptyMeasures() };
      this.#rows.set(id, row);
    }
    addInto(row.measures, c.measures, sign);
  }

  /** An agent's stretch of a state [start, end), split over the periods it spans. */
  addStretch(agentId: string, state: string, reason: string | null, start: number, end: number): void {
    if (end <= start) return;
    const { quarters, days } = splitSpan(this.#timeZone, start, end);
    const put = (grain: '15m' | 'day', period: string, ms: number) => {
      if (!inRange(this.#range, grain, period)) return;
      const id = `${grain}\u0000${period}\u0000${agentId}\u0000${state}\u0000${reason ?? ''}`;
      const row = this.#states.get(id);
      if (row) row.ms += ms;
      else this.#states.set(id, { grain, period, agentId, state, reason: reason ?? '', ms });
    };
    for (const [p, ms] of quarters) put('15m', p, ms);
    for (const [p, ms] of days) put('day', p, ms);
  }

  rows(): RollupRow[] {
    return [...this.#rows.values()].filter((r) => !isZero(r.measures));
  }

  stateRows(): StateRow[] {
    return [...this.#states.values()].filter((r) => r.ms !== 0);
  }
}
