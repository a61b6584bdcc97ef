// Contacts per interval forecast from history, seasonal by day of week and time of day in the
// tenant's time zone, and the staffing plan that follows from it by Erlang C. Pure, no I/O.
//
// Forecast of a slot (weekday, local time of day) on a future day:
//   F = T · Σ_k w_k·x_k / Σ_k w_k   over the last K weeks k = 0 (most recent) … K−1 that have a sample,
// x_k the contacts of the same slot on the same weekday k weeks back, w_k its weight (default K − k),
// T the trend factor below; a slot with no sample forecasts 0.
// Trend factor: with M = ⌊K/2⌋, T = Σ_s mean(x_k of slot s, weeks 0…M−1) / Σ_s mean(x_k of slot s, weeks M…2M−1)
// over the slots s of the last 7 days sampled in both halves: recent weeks' volume against earlier
// weeks' (for complete history, recent total / earlier total); 1 when K < 2, when no slot is sampled
// in both halves or when the earlier sum is 0.
// Samples: intervals missing from a day that has history count as 0 contacts (history may leave out
// empty intervals); a day with no history at all is missing, as is any instant outside the history's
// span. Slots are local wall-clock times, so a 23-hour day (spring forward) has no sample for the
// skipped times and a 25-hour day (fall back) forecasts the repeated times twice; a repeated time in
// history contributes the mean of its occurrences.
import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '../kernel/index.ts';
import { agentsForAsa, agentsForServiceLevel, type Staffing } from './erlang-c.ts';

export const INTERVAL_MINUTES = [15, 30, 60] as const;
export type IntervalMinutes = (typeof INTERVAL_MINUTES)[number];

export const MAX_HORIZON_DAYS = 92;
export const MAX_WEEKS = 52;

export interface HistoryInterval {
  /** ISO-8601 instant with an offset or Z, on an interval boundary of the local clock. */
  start: string;
  contacts: number;
}

export interface ForecastInput {
  history: readonly HistoryInterval[];
  intervalMinutes: number;
  /** Whole local days forecast after the last day of history (the rest of that day comes first). */
  horizonDays: number;
  /** IANA time zone of the tenant, e.g. America/New_York. */
  timeZone: string;
  /** K: how many weeks back each slot looks (default 4). */
  weeks?: number;
  /** w_k, most recent week first, one per week (default K, K−1, …, 1). */
  weights?: readonly number[];
  /** Scale by the trend factor (default true). */
  trend?: boolean;
}

export interface ForecastInterval {
  /** Start of the interval, ISO-8601 UTC. */
  start: string;
  /** The same instant on the tenant's clock, with its offset. */
  localStart: string;
  contacts: number;
}

export interface Forecast {
  timeZone: string;
  intervalMinutes: IntervalMinutes;
  /** The trend factor T applied. */
  trend: number;
  intervals: ForecastInterval[];
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const MINUTES_PER_DAY = 1440;

const invalid = (field: string, rule: string): DomainError =>
  new DomainError('SB_VALIDATION', 400, `${field} must be ${rule}`, { field });

/** A zone's wall clock: local days are counted from 1970-01-01, minutes from local midnight. */
class WallClock {
  readonly #zone: IANAZone;
  readonly #hourOffsets = new Map<number, number | null>();
  readonly name: string;

  constructor(name: string) {
    this.#zone = IANAZone.create(name);
    this.name = name;
  }

  // Offsets come from Intl and cost microseconds each. They are cached per UTC hour: an hour whose
  // first and last millisecond share an offset has no change inside it (no zone changes twice in an
  // hour); an hour with a change is looked up per instant.
  #offset(ms: number): number {
    const hour = Math.floor(ms / HOUR_MS);
    let offset = this.#hourOffsets.get(hour);
    if (offset === undefined) {
      const first = this.#zone.offset(hour * HOUR_MS);
      offset = first === this.#zone.offset((hour + 1) * HOUR_MS - 1) ? first : null;
      this.#hourOffsets.set(hour, offset);
    }
    return offset ?? this.#zone.offset(ms);
  }

  local(ms: number): { day: number; minute: number } {
    const wall = ms + this.#offset(ms) * MINUTE_MS;
    const day = Math.floor(wall / DAY_MS);
    return { day, minute: Math.floor((wall - day * DAY_MS) / MINUTE_MS) };
  }

  /** The instants whose local time is `minute` on `day`: none in a spring-forward gap, two in a fall-back overlap. */
  instants(day: number, minute: number): number[] {
    const wall = day * DAY_MS + minute * MINUTE_MS;
    const offsets = new Set([this.#offset(wall - DAY_MS), this.#offset(wall), this.#offset(wall + DAY_MS)]);
    const found = new Set<number>();
    for (const offset of offsets) {
      const t = wall - offset * MINUTE_MS;
      if (this.#offset(t) === offset) found.add(t);
    }
    return [...found].sort((a, b) => a - b);
  }

  iso(ms: number): string {
    return DateTime.fromMillis(ms, { zone: this.#zone }).toISO() ?? new Date(ms).toISOString();
  }
}

const OFFSET_SUFFIX = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

interface History {
  clock: WallClock;
  /** contacts by `${day}:${minute}` (a fall-back time holds both occurrences) */
  bySlot: Map<string, number[]>;
  /** local days with at least one interval of history */
  days: Set<number>;
  spanStart: number;
  spanEnd: number;
  lastDay: number;
}

function readHistory(input: ForecastInput, clock: WallClock, interval: number): History {
  if (!Array.isArray(input.history) || input.history.length === 0) throw invalid('history', 'a non-empty list of intervals');
  const seen = new Set<number>();
  const bySlot = new Map<string, number[]>();
  const days = new Set<number>();
  let spanStart = Infinity;
  let last = -Infinity;
  input.history.forEach((h, i) => {
    const field = `history.${i}`;
    if (typeof h.start !== 'string' || !OFFSET_SUFFIX.test(h.start)) throw invalid(`${field}.start`, 'an ISO-8601 date-time with an offset or Z');
    const dt = DateTime.fromISO(h.start, { setZone: true });
    if (!dt.isValid) throw invalid(`${field}.start`, 'an ISO-8601 date-time with an offset or Z');
    if (typeof h.contacts !== 'number' || !Number.isFinite(h.contacts) || h.contacts < 0) throw invalid(`${field}.contacts`, 'a finite number of at least 0');
    const ms = dt.toMillis();
    const { day, minute } = clock.local(ms);
    if (ms % MINUTE_MS !== 0 || minute % interval !== 0) throw invalid(`${field}.start`, `on a ${interval}-minute boundary of ${clock.name}`);
    if (seen.has(ms)) throw invalid(`${field}.start`, 'unique in the history');
    seen.add(ms);
    const key = `${day}:${minute}`;
    const values = bySlot.get(key);
    if (values) values.push(h.contacts);
    else bySlot.set(key, [h.contacts]);
    days.add(day);
    spanStart = Math.min(spanStart, ms);
    last = Math.max(last, ms);
  });
  return { clock, bySlot, days, spanStart, spanEnd: last + interval * MINUTE_MS, lastDay: clock.local(last).day };
}

/** Contacts at a local slot of a past day per interval, or undefined when that day or slot has no history. */
function sample(h: History, day: number, minute: number): number | undefined {
  if (!h.days.has(day)) return undefined;
  const occurrences = h.clock.instants(day, minute).filter((t) => t >= h.spanStart && t < h.spanEnd).length;
  if (occurrences === 0) return undefined;
  const values = h.bySlot.get(`${day}:${minute}`) ?? [];
  return values.reduce((a, b) => a + b, 0) / occurrences;
}

function trendFactor(h: History, weeks: number, interval: number): number {
  const m = Math.floor(weeks / 2);
  if (m === 0) return 1;
  const meanOver = (day: number, minute: number, from: number, to: number): number | undefined => {
    let sum = 0;
    let n = 0;
    for (let k = from; k < to; k++) {
      const x = sample(h, day - 7 * k, minute);
      if (x === undefined) continue;
      sum += x;
      n++;
    }
    return n > 0 ? sum / n : undefined;
  };
  let recent = 0;
  let earlier = 0;
  for (let j = 0; j < 7; j++) {
    for (let minute = 0; minute < MINUTES_PER_DAY; minute += interval) {
      const r = meanOver(h.lastDay - j, minute, 0, m);
      const e = meanOver(h.lastDay - j, minute, m, 2 * m);
      if (r === undefined || e === undefined) continue;
      recent += r;
      earlier += e;
    }
  }
  return earlier > 0 ? recent / earlier : 1;
}

function weightsOf(input: ForecastInput, weeks: number): number[] {
  if (input.weights === undefined) return Array.from({ length: weeks }, (_, k) => weeks - k);
  if (!Array.isArray(input.weights) || input.weights.length !== weeks) throw invalid('weights', `a list of ${weeks} numbers, one per week`);
  input.weights.forEach((w, k) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw invalid(`weights.${k}`, 'a finite number of at least 0');
  });
  if (input.weights.reduce((a, b) => a + b, 0) <= 0) throw invalid('weights', 'not all 0');
  return [...input.weights];
}

/** Contacts per interval for the rest of the last day of history and the `horizonDays` local days after it. */
export function forecastContacts(input: ForecastInput): Forecast {
  const interval = input.intervalMinutes;
  if (!(INTERVAL_MINUTES as readonly number[]).includes(interval)) throw invalid('intervalMinutes', `one of ${INTERVAL_MINUTES.join(', ')}`);
  if (!Number.isSafeInteger(input.horizonDays) || input.horizonDays < 1 || input.horizonDays > MAX_HORIZON_DAYS) throw invalid('horizonDays', `a whole number from 1 to ${MAX_HORIZON_DAYS}`);
  if (typeof input.timeZone !== 'string' || !IANAZone.isValidZone(input.timeZone)) throw invalid('timeZone', 'an IANA time zone name');
  const weeks = input.weeks ?? 4;
  if (!Number.isSafeInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) throw invalid('weeks', `a whole number from 1 to ${MAX_WEEKS}`);
  const weights = weightsOf(input, weeks);
  const clock = new WallClock(input.timeZone);
  const h = readHistory(input, clock, interval);
  const trend = input.trend === false ? 1 : trendFactor(h, weeks, interval);

  const intervals: ForecastInterval[] = [];
  const firstDay = clock.local(h.spanEnd).day;
  for (let day = firstDay; day <= h.lastDay + input.horizonDays; day++) {
    // The latest day of history on the same weekday, then the weeks before it.
    const sameWeekday = h.lastDay - ((((h.lastDay - day) % 7) + 7) % 7);
    for (let minute = 0; minute < MINUTES_PER_DAY; minute += interval) {
      const starts = clock.instants(day, minute).filter((t) => t >= h.spanEnd);
      if (starts.length === 0) continue;
      let sum = 0;
      let weight = 0;
      for (let k = 0; k < weeks; k++) {
        const x = sample(h, sameWeekday - 7 * k, minute);
        const w = weights[k] ?? 0;
        if (x === undefined || w === 0) continue;
        sum += w * x;
        weight += w;
      }
      const contacts = weight > 0 ? (trend * sum) / weight : 0;
      for (const t of starts) intervals.push({ start: new Date(t).toISOString(), localStart: clock.iso(t), contacts });
    }
  }
  return { timeZone: input.timeZone, intervalMinutes: interval as IntervalMinutes, trend, intervals };
}

/** What each interval of a plan must meet: a service level (e.g. 80 % in 20 s) or an ASA, with shrinkage. */
export type StaffingTarget =
  | { serviceLevel: { percent: number; seconds: number }; shrinkage?: number; maxOccupancy?: number }
  | { asaSeconds: number; shrinkage?: number; maxOccupancy?: number };

export interface StaffedInterval extends ForecastInterval {
  staffing: Staffing;
}

/** Agents per forecast interval by Erlang C (`agentsForServiceLevel` / `agentsForAsa`). */
export function staffingPlan(forecast: Forecast, ahtSeconds: number, target: StaffingTarget): StaffedInterval[] {
  const intervalSeconds = forecast.intervalMinutes * 60;
  const options = { shrinkage: target.shrinkage ?? 0, maxOccupancy: target.maxOccupancy ?? 1 };
  return forecast.intervals.map((i) => ({
    ...i,
    staffing: 'serviceLevel' in target
      ? agentsForServiceLevel(i.contacts, ahtSeconds, intervalSeconds, target.serviceLevel.percent, target.serviceLevel.seconds, options)
      : agentsForAsa(i.contacts, ahtSeconds, intervalSeconds, target.asaSeconds, options),
  }));
}
