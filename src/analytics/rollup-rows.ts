// Contributions and agent state stretches summed into rollup rows, pure: each lands in its
// 15-minute UTC period and its local day; rows with the same grain, dimension, period and key add up.
// Contributions are summed per dimension, key and 15-minute period first; the day rows are the sums
// of their quarters, taken when the rows are read.
import type { Contribution, StoredDimension } from './contact-facts.ts';
import { addInto, emptyMeasures, isZero, type Measures } from './measures.ts';
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
  /** Sums by dimension, key and the start of a 15-minute period (epoch ms). */
  readonly #quarters = new Map<StoredDimension, Map<string, Map<number, Measures>>>();
  readonly #states = new Map<string, StateRow>();

  /** With `range`, only periods inside it are kept (a rebuild). */
  constructor(timeZone: string, range?: PeriodRange) {
    this.#timeZone = timeZone;
    this.#range = range;
  }

  add(contributions: readonly Contribution[], sign = 1): void {
    for (const c of contributions) {
      let keys = this.#quarters.get(c.dimension);
      if (!keys) { keys = new Map(); this.#quarters.set(c.dimension, keys); }
      let quarters = keys.get(c.key);
      if (!quarters) { quarters = new Map(); keys.set(c.key, quarters); }
      const q = quarterStart(c.at);
      let m = quarters.get(q);
      if (!m) { m = emptyMeasures(); quarters.set(q, m); }
      addInto(m, c.measures, sign);
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

  /** The rows with anything in them: 15-minute rows and the day rows they sum to. */
  rows(): RollupRow[] {
    const out: RollupRow[] = [];
    for (const [dimension, keys] of this.#quarters) {
      for (const [key, quarters] of keys) {
        const days = new Map<string, Measures>();
        for (const [q, measures] of quarters) {
          const [quarter, day] = this.#periodsOf(q);
          if (inRange(this.#range, '15m', quarter) && !isZero(measures)) out.push({ grain: '15m', dimension, period: quarter, key, measures });
          if (!inRange(this.#range, 'day', day)) continue;
          const sum = days.get(day);
          if (sum) addInto(sum, measures);
          else days.set(day, addInto(emptyMeasures(), measures));
        }
        for (const [day, measures] of days) if (!isZero(measures)) out.push({ grain: 'day', dimension, period: day, key, measures });
      }
    }
    return out;
  }

  stateRows(): StateRow[] {
    return [...this.#states.values()].filter((r) => r.ms !== 0);
  }
}
