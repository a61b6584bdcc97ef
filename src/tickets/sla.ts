// SLA clocks (pure): first response and resolution targets counted in business time. A clock runs
// while the ticket's status category is open, pauses while it is pending (waiting on the customer),
// and stops when its goal is met (the first public reply of an agent; the ticket resolved or closed).
// A reopened ticket's resolution clock goes on from the time it had counted. Instants are epoch ms.
//
//   running --pause--> paused --resume--> running --stop--> met | stopped   (breached once the target passed)
import { addBusinessMs, businessMsBetween, type BusinessCalendar } from '../calendar/index.ts';
import { ClockState, SlaMetric, type Escalation, type SlaPolicy } from './ticket-model.ts';
import { StatusCategory } from './workflow.ts';

/** Open time of a calendar (or every millisecond, without one). */
export interface BusinessTime {
  between(from: number, to: number): number;
  /** Undefined when the calendar stays closed too long for `ms` to pass (calendar HORIZON_DAYS). */
  add(from: number, ms: number): number | undefined;
}

export const aroundTheClock: BusinessTime = { between: (from, to) => Math.max(0, to - from), add: (from, ms) => from + ms };

export const businessTimeOf = (calendar: BusinessCalendar | null): BusinessTime =>
  calendar ? { between: (from, to) => businessMsBetween(calendar, from, to), add: (from, ms) => addBusinessMs(calendar, from, ms) } : aroundTheClock;

export interface SlaClock {
  targetMs: number;
  /** Business time counted before `runningSince` (all of it while not running). */
  elapsedMs: number;
  /** Start of the current running stretch; null while paused or stopped. */
  runningSince: number | null;
  /** The pending warning, while running and not yet warned. */
  warnAt: number | null;
  /** The instant the target is reached, while running. */
  dueAt: number | null;
  warnedAt: number | null;
  breachedAt: number | null;
  metAt: number | null;
  stoppedAt: number | null;
}

/** A ticket's clocks and the policy they were started under. */
export interface SlaState {
  calendarId: string | null;
  warnAtPercent: number | null;
  escalation: Escalation;
  firstResponse: SlaClock | null;
  resolution: SlaClock | null;
}

/** A warning or a breach that fell due, at the instant it did. */
export interface Crossing {
  metric: SlaMetric;
  kind: 'warning' | 'breach';
  at: number;
  /** The clock's due instant (for a warning: when the breach would come). */
  dueAt: number;
  targetMs: number;
}

const isDone = (category: string) => category === StatusCategory.Resolved || category === StatusCategory.Closed;

export function newClock(targetMs: number, at: number, running: boolean): SlaClock {
  return { targetMs, elapsedMs: 0, runningSince: running ? at : null, warnAt: null, dueAt: null, warnedAt: null, breachedAt: null, metAt: null, stoppedAt: null };
}

/** Counts the running stretch up to `at` into `elapsedMs`; the clock then runs from `at`. */
function fold(c: SlaClock, time: BusinessTime, at: number): SlaClock {
  if (c.runningSince === null) return c;
  return { ...c, elapsedMs: c.elapsedMs + time.between(c.runningSince, at), runningSince: at };
}

export function pause(c: SlaClock, time: BusinessTime, at: number): SlaClock {
  if (c.runningSince === null) return c;
  return { ...fold(c, time, at), runningSince: null, warnAt: null, dueAt: null };
}

export function resume(c: SlaClock, at: number): SlaClock {
  if (c.runningSince !== null || c.stoppedAt !== null) return c;
  return { ...c, runningSince: at };
}

/** Ends the clock: `met` when its goal was reached (a reply, a resolution), else it just stops. */
export function stop(c: SlaClock, time: BusinessTime, at: number, met: boolean): SlaClock {
  if (c.stoppedAt !== null) return c;
  return { ...fold(c, time, at), runningSince: null, warnAt: null, dueAt: null, stoppedAt: at, metAt: met ? at : null };
}

/** A stopped clock counts again (a reopened ticket), from the time it had. */
export function reopen(c: SlaClock, at: number, running: boolean): SlaClock {
  if (c.stoppedAt === null) return c;
  return { ...c, stoppedAt: null, metAt: null, runningSince: running ? at : null };
}

/** A new target for the same clock (the priority changed); the time counted so far stays. */
export function retarget(c: SlaClock, time: BusinessTime, at: number, targetMs: number): SlaClock {
  return { ...fold(c, time, at), targetMs };
}

/** Recomputes the pending warning and due instants of a running clock from the time it has counted. */
export function plan(c: SlaClock, time: BusinessTime, warnAtPercent: number | null): SlaClock {
  if (c.runningSince === null || c.stoppedAt !== null) return { ...c, warnAt: null, dueAt: null };
  const from = c.runningSince;
  const at = (ms: number) => (ms <= 0 ? from : time.add(from, ms) ?? null);
  const dueAt = at(c.targetMs - c.elapsedMs);
  const warnAt = warnAtPercent === null || c.warnedAt !== null || c.breachedAt !== null
    ? null
    : at(Math.round((c.targetMs * warnAtPercent) / 100) - c.elapsedMs);
  return { ...c, warnAt, dueAt };
}

/** Marks the warning and the breach that fell due by `now` (a clock must be planned first). */
export function cross(c: SlaClock, metric: SlaMetric, now: number): { clock: SlaClock; crossings: Crossing[] } {
  const crossings: Crossing[] = [];
  let clock = c;
  if (clock.dueAt === null) return { clock, crossings };
  const dueAt = clock.dueAt;
  if (clock.warnAt !== null && clock.warnedAt === null && clock.breachedAt === null && clock.warnAt <= now) {
    crossings.push({ metric, kind: 'warning', at: clock.warnAt, dueAt, targetMs: clock.targetMs });
    clock = { ...clock, warnedAt: clock.warnAt, warnAt: null };
  }
  if (clock.breachedAt === null && dueAt <= now) {
    crossings.push({ metric, kind: 'breach', at: dueAt, dueAt, targetMs: clock.targetMs });
    clock = { ...clock, breachedAt: dueAt, warnAt: null };
  }
  return { clock, crossings };
}

/** The next instant at which this clock needs attention (a warning or a breach), or null. */
export function nextInstant(c: SlaClock): number | null {
  const pending = [c.warnedAt === null && c.breachedAt === null ? c.warnAt : null, c.breachedAt === null ? c.dueAt : null].filter((x): x is number => x !== null);
  return pending.length > 0 ? Math.min(...pending) : null;
}

export function stateOf(c: SlaClock): ClockState {
  if (c.breachedAt !== null) return ClockState.Breached;
  if (c.stoppedAt !== null) return c.metAt !== null ? ClockState.Met : ClockState.Stopped;
  return c.runningSince !== null ? ClockState.Running : ClockState.Paused;
}

const mapClocks = (s: SlaState, fn: (c: SlaClock, metric: SlaMetric) => SlaClock): SlaState => ({
  ...s,
  firstResponse: s.firstResponse && fn(s.firstResponse, SlaMetric.FirstResponse),
  resolution: s.resolution && fn(s.resolution, SlaMetric.Resolution),
});

/** Plans both clocks and marks what fell due by `now`. */
export function catchUp(s: SlaState, time: BusinessTime, now: number): { state: SlaState; crossings: Crossing[] } {
  const crossings: Crossing[] = [];
  const state = mapClocks(s, (c, metric) => {
    const r = cross(plan(c, time, s.warnAtPercent), metric, now);
    crossings.push(...r.crossings);
    return r.clock;
  });
  crossings.sort((a, b) => a.at - b.at);
  return { state, crossings };
}

/** The clocks after the ticket's status category changed at `at`. */
export function onCategory(s: SlaState, time: BusinessTime, from: string, to: string, at: number): SlaState {
  if (from === to) return s;
  const running = to === StatusCategory.Open;
  return mapClocks(s, (c, metric) => {
    if (isDone(to)) return stop(c, time, at, metric === SlaMetric.Resolution);
    if (metric === SlaMetric.Resolution && c.stoppedAt !== null) return reopen(c, at, running);
    return running ? resume(c, at) : pause(c, time, at);
  });
}

/** The first public reply of an agent meets the first-response target. */
export function onFirstResponse(s: SlaState, time: BusinessTime, at: number): SlaState {
  return s.firstResponse ? { ...s, firstResponse: stop(s.firstResponse, time, at, true) } : s;
}

/** The next instant over both clocks, for the scheduler's index. */
export function nextDue(s: SlaState | null): number | null {
  if (!s) return null;
  const all = [s.firstResponse, s.resolution].map((c) => (c ? nextInstant(c) : null)).filter((x): x is number => x !== null);
  return all.length > 0 ? Math.min(...all) : null;
}

/**
 * The clocks under `policy` from `at` on (a new ticket, or one whose priority changed). A clock the
 * ticket had keeps the time it counted (up to `at`, in `previousTime`) and takes the new target; a clock
 * it did not have starts at `at`, in the state the ticket's status category and first response call for.
 */
export function snapshot(
  policy: Pick<SlaPolicy, 'calendarId' | 'firstResponseMinutes' | 'resolutionMinutes' | 'warnAtPercent' | 'escalation'> | undefined,
  at: number, category: string, firstRespondedAt: number | null, previous: SlaState | null, previousTime: BusinessTime,
): SlaState | null {
  if (!policy || (policy.firstResponseMinutes === null && policy.resolutionMinutes === null)) return null;
  const clock = (old: SlaClock | null, minutes: number | null, metric: SlaMetric): SlaClock | null => {
    if (minutes === null) return null;
    const target = minutes * 60_000;
    if (old) return retarget(old, previousTime, at, target);
    const c = newClock(target, at, category === StatusCategory.Open);
    if (metric === SlaMetric.FirstResponse && firstRespondedAt !== null) return { ...c, runningSince: null, stoppedAt: firstRespondedAt, metAt: firstRespondedAt };
    if (isDone(category)) return { ...c, runningSince: null, stoppedAt: at, metAt: metric === SlaMetric.Resolution ? at : null };
    return c;
  };
  return {
    calendarId: policy.calendarId, warnAtPercent: policy.warnAtPercent, escalation: { ...policy.escalation },
    firstResponse: clock(previous?.firstResponse ?? null, policy.firstResponseMinutes, SlaMetric.FirstResponse),
    resolution: clock(previous?.resolution ?? null, policy.resolutionMinutes, SlaMetric.Resolution),
  };
}
