// Historical reports, read from the rollups only (never from raw records): by interval (15, 30 or
// 60 minutes), local day, ISO week or calendar month of the tenant's time zone, and by queue,
// agent, team (the sum of its members' agent rows, members as they are now), channel, disposition
// or DID. Agent and team rows carry time per state and occupancy from the state rollups, with the
// stretches still open counted up to now. JSON rows are flat so that CSV has the same columns.
import { stringify } from 'csv-stringify/sync';
import type { Clock } from '../kernel/index.ts';
import { DomainError } from '../kernel/index.ts';
import type { Dimension, StoredDimension } from './contact-facts.ts';
import { kpisOf, occupancy, type Kpis } from './kpi.ts';
import { addInto, addStateTime, addStateTimes, emptyMeasures, emptyStateTime, type Measures, type StateTime } from './measures.ts';
import {
  addDays, daysBetween, intervalOf, isDate, localSpan, periodOfDate, quarterPeriod, reportPeriods, type Grain, type IntervalMinutes, type Period,
} from './periods.ts';
import { RollupRows } from './rollup-rows.ts';
import type { RollupGrain, RollupStore } from './rollups.sql.ts';
import { DEFAULT_SERVICE_LEVEL_SECONDS, queueSettings } from './settings.ts';
import type { SettingsStore } from './settings.sql.ts';

/** The longest span of one report, in days. */
export const MAX_INTERVAL_REPORT_DAYS = 31;
export const MAX_REPORT_DAYS = 366;

export interface ReportDirectory {
  queues(tenantId: string): Promise<readonly { id: string; name: string; settings: { serviceLevelSeconds: number } }[]>;
  listUsers(tenantId: string): Promise<readonly { id: string; displayName: string }[]>;
  listTeams(tenantId: string): Promise<readonly { id: string; name: string; memberIds: readonly string[] }[]>;
}

export interface ReportsDeps {
  rollups: RollupStore;
  settings: SettingsStore;
  directory: ReportDirectory;
  timeZoneOf(tenantId: string): Promise<string>;
  clock: Clock;
}

export interface ReportQuery {
  by: Dimension;
  grain: Grain;
  /** For grain 'interval' (default 15). */
  intervalMinutes?: IntervalMinutes | undefined;
  /** Local dates YYYY-MM-DD, both included. */
  from: string;
  to: string;
  /** Only these queues, agents, teams, channels, dispositions or numbers. */
  keys?: readonly string[] | undefined;
}

export interface ReportRow extends Kpis {
  periodStart: string;
  period: string;
  key: string;
  name: string;
  /** The queue's T (queue rows); null for other dimensions. */
  serviceLevelSeconds: number | null;
  contacts: number;
  answeredInSl: number;
  overflowed: number;
  handled: number;
  transferred: number;
  offers: number;
  offersAccepted: number;
  offersMissed: number;
  talkSeconds: number;
  holdSeconds: number;
  wrapUpSeconds: number;
  fcrEligible: number;
  fcrResolved: number;
  csatResponses: number;
  csatSatisfied: number;
  /** Agent and team rows: time per state, and occupancy; null for other dimensions. */
  availableSeconds: number | null;
  busySeconds: number | null;
  afterCallWorkSeconds: number | null;
  notReadySeconds: number | null;
  occupancy: number | null;
}

export interface Report {
  by: Dimension;
  grain: Grain;
  intervalMinutes: IntervalMinutes | null;
  timeZone: string;
  from: string;
  to: string;
  /** Every period of the range, in order (rows exist only where something was counted). */
  periods: Period[];
  rows: ReportRow[];
  /** One row per key over the whole range (period 'total'). */
  totals: ReportRow[];
}

export interface AgentStateRow {
  periodStart: string;
  period: string;
  agentId: string;
  name: string;
  state: string;
  /** '' when the state has no reason code. */
  reason: string;
  seconds: number;
}

export const REPORT_COLUMNS: readonly (keyof ReportRow)[] = [
  'periodStart', 'period', 'key', 'name', 'serviceLevelSeconds', 'contacts', 'offered', 'answered', 'answeredInSl', 'abandoned', 'shortAbandoned', 'overflowed',
  'serviceLevel', 'answerRate', 'abandonRate', 'asaSeconds', 'averageAbandonSeconds', 'handled', 'ahtSeconds', 'averageTalkSeconds', 'averageHoldSeconds',
  'averageWrapUpSeconds', 'talkSeconds', 'holdSeconds', 'wrapUpSeconds', 'transferred', 'transferRate', 'offers', 'offersAccepted', 'offersMissed',
  'offerAcceptance', 'fcrEligible', 'fcrResolved', 'fcr', 'csatResponses', 'csatSatisfied', 'csat', 'averageSurveyScore', 'availableSeconds', 'busySeconds',
  'afterCallWorkSeconds', 'notReadySeconds', 'occupancy',
];

const invalid = (field: string, message: string) => new DomainError('SB_VALIDATION', 400, message, { field });

/** Checks a span of local dates; `field` names the parameter at fault. */
export function checkSpan(from: string, to: string, maxDays: number): void {
  if (!isDate(from)) throw invalid('from', 'from must be a date YYYY-MM-DD');
  if (!isDate(to)) throw invalid('to', 'to must be a date YYYY-MM-DD');
  if (to < from) throw invalid('to', 'to must not be before from');
  if (daysBetween(from, to) > maxDays) throw invalid('to', `a report spans at most ${maxDays} days`);
}

const round = (ms: number) => Math.round(ms) / 1000;
const collator = new Intl.Collator('en');

export class Reports {
  readonly #d: ReportsDeps;

  constructor(deps: ReportsDeps) {
    this.#d = deps;
  }

  async report(tenantId: string, q: ReportQuery): Promise<Report> {
    checkSpan(q.from, q.to, q.grain === 'interval' ? MAX_INTERVAL_REPORT_DAYS : MAX_REPORT_DAYS);
    const minutes = q.grain === 'interval' ? q.intervalMinutes ?? 15 : null;
    const [timeZone, settings, queues, users, teams] = await Promise.all([
      this.#d.timeZoneOf(tenantId), this.#d.settings.get(tenantId), this.#d.directory.queues(tenantId), this.#d.directory.listUsers(tenantId),
      q.by === 'team' ? this.#d.directory.listTeams(tenantId) : Promise.resolve([]),
    ]);
    const scope = this.#d.rollups.scope(tenantId);
    const { grain, from, to } = this.#source(timeZone, q);
    const periodOf = this.#periodOf(timeZone, grain, q.grain, minutes);

    // Which stored keys feed which report keys.
    let stored: StoredDimension;
    let keysOf: (key: string) => readonly string[];
    let storedKeys: readonly string[] | undefined;
    const names = new Map<string, string>();
    if (q.by === 'team') {
      stored = 'agent';
      const chosen = teams.filter((t) => !q.keys || q.keys.includes(t.id));
      const teamsOf = new Map<string, string[]>();
      for (const t of chosen) {
        names.set(t.id, t.name);
        for (const m of t.memberIds) teamsOf.set(m, [...(teamsOf.get(m) ?? []), t.id]);
      }
      keysOf = (agentId) => teamsOf.get(agentId) ?? [];
      storedKeys = [...teamsOf.keys()];
    } else {
      stored = q.by;
      keysOf = (k) => [k];
      storedKeys = q.keys;
      if (q.by === 'queue') for (const x of queues) names.set(x.id, x.name);
      if (q.by === 'agent') for (const u of users) names.set(u.id, u.displayName);
    }

    const cells = new Map<string, { period: Period; key: string; m: Measures; s: StateTime }>();
    const cell = (period: Period, key: string) => {
      const id = `${period.start}\u0000${key}`;
      let c = cells.get(id);
      if (!c) { c = { period, key, m: emptyMeasures(), s: emptyStateTime() }; cells.set(id, c); }
      return c;
    };
    for (const r of await scope.rollups({ grain, dimension: stored, from, to, keys: storedKeys })) {
      const period = periodOf(r.period);
      for (const k of keysOf(r.key)) addInto(cell(period, k).m, r.measures);
    }
    const withStates = q.by === 'agent' || q.by === 'team';
    if (withStates) {
      for (const s of await this.#stateRows(tenantId, timeZone, grain, q.from, q.to, storedKeys)) {
        const period = periodOf(s.period);
        for (const k of keysOf(s.agentId)) addStateTime(cell(period, k).s, s.state, s.ms);
      }
    }

    const serviceLevelSeconds = new Map(queues.map((x) => [x.id, x.settings.serviceLevelSeconds]));
    const rowOf = (period: Period, key: string, m: Measures, s: StateTime): ReportRow => {
      const k = kpisOf(m, queueSettings(settings, q.by === 'queue' ? key : null));
      return {
        periodStart: period.start, period: period.label, key, name: names.get(key) ?? key,
        serviceLevelSeconds: q.by === 'queue' ? serviceLevelSeconds.get(key) ?? DEFAULT_SERVICE_LEVEL_SECONDS : null,
        ...k, contacts: m.contacts, answeredInSl: m.answeredInSl, overflowed: m.overflowed, handled: m.handled, transferred: m.transferred,
        offers: m.offers, offersAccepted: m.offersAccepted, offersMissed: m.offersMissed,
        talkSeconds: round(m.talkMs), holdSeconds: round(m.holdMs), wrapUpSeconds: round(m.wrapMs),
        fcrEligible: m.fcrEligible, fcrResolved: m.fcrResolved, csatResponses: m.csatResponses, csatSatisfied: m.csatSatisfied,
        availableSeconds: withStates ? round(s.availableMs) : null, busySeconds: withStates ? round(s.busyMs) : null,
        afterCallWorkSeconds: withStates ? round(s.afterCallWorkMs) : null, notReadySeconds: withStates ? round(s.notReadyMs) : null,
        occupancy: withStates ? occupancy(s) : null,
      };
    };
    const byName = (a: ReportRow, b: ReportRow) => collator.compare(a.name, b.name) || collator.compare(a.key, b.key);
    const rows = [...cells.values()].map((c) => rowOf(c.period, c.key, c.m, c.s))
      .sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : byName(a, b)));
    const sums = new Map<string, { m: Measures; s: StateTime }>();
    for (const c of cells.values()) {
      const t = sums.get(c.key) ?? { m: emptyMeasures(), s: emptyStateTime() };
      addInto(t.m, c.m);
      addStateTimes(t.s, c.s);
      sums.set(c.key, t);
    }
    const span: Period = { start: new Date(localSpan(timeZone, q.from, q.to).start).toISOString(), label: 'total' };
    const totals = [...sums.entries()].map(([key, t]) => rowOf(span, key, t.m, t.s)).sort(byName);
    return { by: q.by, grain: q.grain, intervalMinutes: minutes, timeZone, from: q.from, to: q.to, periods: reportPeriods(timeZone, q.from, q.to, q.grain, minutes ?? 15), rows, totals };
  }

  /** Time per agent state and reason code (adherence), by period. */
  async agentStates(tenantId: string, q: { grain: Grain; intervalMinutes?: IntervalMinutes | undefined; from: string; to: string; agentIds?: readonly string[] | undefined }): Promise<{ timeZone: string; grain: Grain; intervalMinutes: IntervalMinutes | null; from: string; to: string; periods: Period[]; rows: AgentStateRow[] }> {
    checkSpan(q.from, q.to, q.grain === 'interval' ? MAX_INTERVAL_REPORT_DAYS : MAX_REPORT_DAYS);
    const minutes = q.grain === 'interval' ? q.intervalMinutes ?? 15 : null;
    const [timeZone, users] = await Promise.all([this.#d.timeZoneOf(tenantId), this.#d.directory.listUsers(tenantId)]);
    const names = new Map(users.map((u) => [u.id, u.displayName]));
    const { grain } = this.#source(timeZone, q);
    const periodOf = this.#periodOf(timeZone, grain, q.grain, minutes);
    const sums = new Map<string, AgentStateRow & { ms: number }>();
    for (const s of await this.#stateRows(tenantId, timeZone, grain, q.from, q.to, q.agentIds)) {
      const period = periodOf(s.period);
      const id = `${period.start}\u0000${s.agentId}\u0000${s.state}\u0000${s.reason}`;
      const row = sums.get(id) ?? { periodStart: period.start, period: period.label, agentId: s.agentId, name: names.get(s.agentId) ?? s.agentId, state: s.state, reason: s.reason, seconds: 0, ms: 0 };
      row.ms += s.ms;
      sums.set(id, row);
    }
    const rows = [...sums.values()].map(({ ms, ...r }) => ({ ...r, seconds: round(ms) }))
      .sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : collator.compare(a.name, b.name) || collator.compare(a.state, b.state) || collator.compare(a.reason, b.reason)));
    return { timeZone, grain: q.grain, intervalMinutes: minutes, from: q.from, to: q.to, periods: reportPeriods(timeZone, q.from, q.to, q.grain, minutes ?? 15), rows };
  }

  /** The report period of a stored period (each worked out once per report). */
  #periodOf(timeZone: string, stored: RollupGrain, grain: Grain, minutes: IntervalMinutes | null): (p: string) => Period {
    const seen = new Map<string, Period>();
    return (p) => {
      let out = seen.get(p);
      if (!out) {
        out = stored === '15m' ? intervalOf(timeZone, Date.parse(p), minutes ?? 15) : periodOfDate(timeZone, p, grain as Exclude<Grain, 'interval'>);
        seen.set(p, out);
      }
      return out;
    };
  }

  /** Which stored rollups a report reads. */
  #source(timeZone: string, q: Pick<ReportQuery, 'grain' | 'from' | 'to'>): { grain: RollupGrain; from: string; to: string } {
    if (q.grain !== 'interval') return { grain: 'day', from: q.from, to: addDays(q.to, 1) };
    const { start, end } = localSpan(timeZone, q.from, q.to);
    return { grain: '15m', from: quarterPeriod(start), to: quarterPeriod(end) };
  }

  /** State rollups of the span, plus the open stretches up to now. */
  async #stateRows(tenantId: string, timeZone: string, grain: RollupGrain, fromDate: string, toDate: string, agentIds: readonly string[] | undefined) {
    const scope = this.#d.rollups.scope(tenantId);
    const { start, end } = localSpan(timeZone, fromDate, toDate);
    const range = { fromQuarter: quarterPeriod(start), toQuarter: quarterPeriod(end), fromDay: fromDate, toDay: addDays(toDate, 1) };
    const stored = await scope.stateTime({ grain, from: grain === '15m' ? range.fromQuarter : range.fromDay, to: grain === '15m' ? range.toQuarter : range.toDay, agentIds });
    const open = new RollupRows(timeZone, range);
    const now = this.#d.clock.now();
    for (const s of await scope.openStretches()) {
      if (agentIds && !agentIds.includes(s.agentId)) continue;
      open.addStretch(s.agentId, s.state, s.reason, Math.max(s.startedAt, start), Math.min(now, end));
    }
    return [...stored, ...open.stateRows().filter((r) => r.grain === grain)];
  }
}

/** A report as CSV (RFC 4180): the row columns, then one 'total' row per key. */
export function reportCsv(report: Report): string {
  const records = [...report.rows, ...report.totals].map((r) => REPORT_COLUMNS.map((c) => r[c] ?? ''));
  return stringify([REPORT_COLUMNS as string[], ...records]);
}

export function agentStatesCsv(rows: readonly AgentStateRow[]): string {
  const cols: (keyof AgentStateRow)[] = ['periodStart', 'period', 'agentId', 'name', 'state', 'reason', 'seconds'];
  return stringify([cols, ...rows.map((r) => cols.map((c) => r[c]))]);
}
