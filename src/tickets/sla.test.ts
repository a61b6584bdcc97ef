// SLA clocks in business time: due and warning instants over lunch breaks, holidays, weekends and a DST
// change; pauses while pending; first response and resolution goals; reopening; new targets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCalendar, type BusinessCalendar } from '../calendar/index.ts';
import {
  aroundTheClock, businessTimeOf, catchUp, cross, newClock, nextDue, onCategory, onFirstResponse, pause, plan, resume, retarget, snapshot, stateOf, type SlaState,
} from './sla.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

function calendar(input: unknown): BusinessCalendar {
  const c = validateCalendar(input);
  if (!c.ok) throw new Error(c.message);
  return c.calendar;
}

const day = (...r: [string, string][]) => r.map(([start, end]) => ({ start, end }));
/** Shanghai, Mon-Fri 09:00-12:00 and 13:00-18:00 (lunch 12-13), closed on Labour Day (Friday 2026-05-01). */
const SHANGHAI = calendar({
  timeZone: 'Asia/Shanghai',
  weekly: { mon: day(['09:00', '12:00'], ['13:00', '18:00']), tue: day(['09:00', '12:00'], ['13:00', '18:00']), wed: day(['09:00', '12:00'], ['13:00', '18:00']),
    thu: day(['09:00', '12:00'], ['13:00', '18:00']), fri: day(['09:00', '12:00'], ['13:00', '18:00']), sat: [], sun: [] },
  holidays: [{ date: '2026-05-01', name: 'Labour Day' }],
});
/** New York, Mon-Fri 09:00-17:00; clocks go forward on Sunday 2026-03-08. */
const NEW_YORK = calendar({
  timeZone: 'America/New_York',
  weekly: { mon: day(['09:00', '17:00']), tue: day(['09:00', '17:00']), wed: day(['09:00', '17:00']), thu: day(['09:00', '17:00']), fri: day(['09:00', '17:00']), sat: [], sun: [] },
});

/** Shanghai local time (UTC+8) as epoch ms. */
const cst = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);

const NO_ESCALATION = { assigneeUserId: null, assigneeTeamId: null, notifySupervisors: false };

describe('SLA clocks', () => {
  test('around the clock: the target and the warning share fall after elapsed real time', () => {
    const start = Date.UTC(2026, 0, 5, 10, 0);
    const c = plan(newClock(60 * MIN, start, true), aroundTheClock, 80);
    assert.equal(c.warnAt, start + 48 * MIN);
    assert.equal(c.dueAt, start + 60 * MIN);
    assert.equal(nextDue({ calendarId: null, warnAtPercent: 80, escalation: NO_ESCALATION, firstResponse: c, resolution: null }), start + 48 * MIN);
  });

  test('business hours skip lunch, the evening, a holiday and the weekend', () => {
    const time = businessTimeOf(SHANGHAI);
    // Thursday 16:00: 2 h on Thursday, Friday is Labour Day, then Monday 09-12 and 13-16.
    const c = plan(newClock(8 * HOUR, cst(2026, 4, 30, 16), true), time, 80);
    assert.equal(c.dueAt, cst(2026, 5, 4, 16));
    // 80 % = 6 h 24 min: 2 h Thursday + 3 h Monday morning + 1 h 24 min after lunch.
    assert.equal(c.warnAt, cst(2026, 5, 4, 14, 24));
    assert.equal(time.between(cst(2026, 4, 30, 16), cst(2026, 5, 4, 16)), 8 * HOUR);
  });

  test('a due time that falls on the start of lunch is the closing instant, and lunch is not counted', () => {
    const time = businessTimeOf(SHANGHAI);
    const c = plan(newClock(2 * HOUR, cst(2026, 5, 4, 10), true), time, null);
    assert.equal(c.dueAt, cst(2026, 5, 4, 12));
    assert.equal(c.warnAt, null);
    const over = plan(newClock(2 * HOUR + 30 * MIN, cst(2026, 5, 4, 10), true), time, null);
    assert.equal(over.dueAt, cst(2026, 5, 4, 13, 30));
  });

  test('across a DST change the due instant keeps to the local opening hours', () => {
    const time = businessTimeOf(NEW_YORK);
    // Friday 2026-03-06 16:00 EST (21:00Z): 1 h on Friday; Monday opens 09:00 EDT = 13:00Z, not 14:00Z.
    const c = plan(newClock(2 * HOUR, Date.UTC(2026, 2, 6, 21, 0), true), time, 50);
    assert.equal(c.warnAt, Date.UTC(2026, 2, 6, 22, 0));
    assert.equal(c.dueAt, Date.UTC(2026, 2, 9, 14, 0));
  });

  test('a pause stops counting; after resuming the due time moves by the paused business time', () => {
    const time = businessTimeOf(SHANGHAI);
    let c = plan(newClock(8 * HOUR, cst(2026, 4, 30, 16), true), time, null);
    c = pause(c, time, cst(2026, 4, 30, 17));
    assert.equal(c.elapsedMs, HOUR);
    assert.equal(stateOf(c), 'paused');
    assert.equal(plan(c, time, null).dueAt, null, 'a paused clock is never due');
    c = plan(resume(c, cst(2026, 5, 4, 10)), time, null);
    // 7 h left from Monday 10:00: 10-12 and 13-18.
    assert.equal(c.dueAt, cst(2026, 5, 4, 18));
  });

  test('crossings are marked at the instants they fell due, once', () => {
    const start = Date.UTC(2026, 0, 5, 10, 0);
    const c = plan(newClock(60 * MIN, start, true), aroundTheClock, 80);
    assert.deepEqual(cross(c, 'resolution', start + 48 * MIN - 1).crossings, []);
    const warned = cross(c, 'resolution', start + 48 * MIN);
    assert.deepEqual(warned.crossings.map((x) => [x.kind, x.at]), [['warning', start + 48 * MIN]]);
    const late = cross(warned.clock, 'resolution', start + 5 * HOUR);
    assert.deepEqual(late.crossings.map((x) => [x.kind, x.at, x.dueAt]), [['breach', start + 60 * MIN, start + 60 * MIN]]);
    assert.equal(stateOf(late.clock), 'breached');
    assert.deepEqual(cross(late.clock, 'resolution', start + 6 * HOUR).crossings, [], 'a breach is marked once');
    const both = cross(c, 'first_response', start + 2 * HOUR);
    assert.deepEqual(both.crossings.map((x) => x.kind), ['warning', 'breach'], 'both, in order, when checked late');
  });

  test('status categories: pending pauses both clocks, resolved stops them, reopening resumes the resolution clock', () => {
    const start = Date.UTC(2026, 0, 5, 10, 0);
    const policy = { calendarId: null, firstResponseMinutes: 60, resolutionMinutes: 240, warnAtPercent: null, escalation: NO_ESCALATION };
    let s: SlaState = snapshot(policy, start, 'open', null, null, aroundTheClock)!;
    s = onCategory(s, aroundTheClock, 'open', 'pending', start + 30 * MIN);
    assert.equal(stateOf(s.firstResponse!), 'paused');
    assert.equal(stateOf(s.resolution!), 'paused');
    s = onCategory(s, aroundTheClock, 'pending', 'open', start + 90 * MIN);
    s = catchUp(s, aroundTheClock, start + 90 * MIN).state;
    assert.equal(s.firstResponse!.dueAt, start + 120 * MIN, '30 min counted, 30 min paused');
    s = onFirstResponse(s, aroundTheClock, start + 100 * MIN);
    assert.equal(stateOf(s.firstResponse!), 'met');
    assert.equal(s.firstResponse!.elapsedMs, 40 * MIN);
    s = onCategory(s, aroundTheClock, 'open', 'resolved', start + 150 * MIN);
    assert.equal(stateOf(s.resolution!), 'met');
    assert.equal(s.resolution!.elapsedMs, 90 * MIN);
    s = onCategory(s, aroundTheClock, 'resolved', 'open', start + 300 * MIN);
    s = catchUp(s, aroundTheClock, start + 300 * MIN).state;
    assert.equal(stateOf(s.resolution!), 'running');
    assert.equal(s.resolution!.dueAt, start + 300 * MIN + 150 * MIN, 'the resolution clock goes on from its 90 min');
    assert.equal(stateOf(s.firstResponse!), 'met', 'a first response stays given');
  });

  test('a ticket resolved without a reply stops the first-response clock without meeting it', () => {
    const start = Date.UTC(2026, 0, 5, 10, 0);
    const policy = { calendarId: null, firstResponseMinutes: 60, resolutionMinutes: null, warnAtPercent: null, escalation: NO_ESCALATION };
    const s = onCategory(snapshot(policy, start, 'open', null, null, aroundTheClock)!, aroundTheClock, 'open', 'closed', start + MIN);
    assert.equal(stateOf(s.firstResponse!), 'stopped');
    assert.equal(s.resolution, null);
  });

  test('a new target keeps the time counted; a target already passed falls due at the change', () => {
    const start = Date.UTC(2026, 0, 5, 10, 0);
    let c = plan(newClock(4 * HOUR, start, true), aroundTheClock, null);
    c = plan(retarget(c, aroundTheClock, start + HOUR, 2 * HOUR), aroundTheClock, null);
    assert.equal(c.dueAt, start + 2 * HOUR);
    c = plan(retarget(c, aroundTheClock, start + 90 * MIN, HOUR), aroundTheClock, null);
    assert.equal(c.dueAt, start + 90 * MIN);
  });

  test('a policy without targets gives no clocks', () => {
    assert.equal(snapshot(undefined, 0, 'open', null, null, aroundTheClock), null);
    assert.equal(snapshot({ calendarId: null, firstResponseMinutes: null, resolutionMinutes: null, warnAtPercent: 80, escalation: NO_ESCALATION }, 0, 'open', null, null, aroundTheClock), null);
  });
});
