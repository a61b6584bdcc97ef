import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditLog } from '../audit/index.ts';
import { DomainError, ManualClock } from '../kernel/index.ts';
import { openTestStorage, testStorageTargets, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import { Calendars, type CalendarInput } from './calendars.ts';
import type { OpeningRange } from './business-calendar.ts';

const office: OpeningRange[] = [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }];
const shanghai = (name: string): CalendarInput => ({
  name, timeZone: 'Asia/Shanghai',
  weekly: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] },
  holidays: [
    { date: '2026-10-01', name: 'National Day' },
    { date: '2026-09-27', name: 'Make-up working day', hours: [{ start: '09:00', end: '18:00' }] },
    { date: '2026-10-02', name: 'National Day', hours: [] },
  ],
});
const always: OpeningRange[] = [{ start: '00:00', end: '24:00' }];
const newYork = (name: string): CalendarInput => ({
  name, timeZone: 'America/New_York', weekly: { mon: always, tue: always, wed: always, thu: always, fri: always, sat: always, sun: always },
});
const actor = { userId: null, name: 'ada', ip: '192.0.2.7' };

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DomainError, String(e));
    return e;
  }
  assert.fail('expected a DomainError');
}

for (const dialect of testStorageTargets()) {
  describe(`calendars (${dialect})`, () => {
    let storage: Storage;
    let clock: ManualClock;
    let audit: AuditLog;
    let calendars: Calendars;
    let a: string;
    let b: string;

    before(async () => {
      storage = await openTestStorage(dialect);
      clock = new ManualClock(Date.parse('2026-01-05T02:00:00Z'));
      audit = new AuditLog(storage.db, clock);
      calendars = new Calendars({ db: storage.db, clock, audit });
      const tenants = new TenantStore(storage.db);
      a = (await tenants.create({ slug: 'a', name: 'A', timeZone: 'Asia/Shanghai' }, new Date(clock.now()))).id;
      b = (await tenants.create({ slug: 'b', name: 'B', timeZone: 'America/New_York' }, new Date(clock.now()))).id;
    });
    after(async () => { await storage.close(); });

    test('create, get, list, update and delete', async () => {
      const created = await calendars.create(a, shanghai('Support desk'), actor);
      assert.equal(created.name, 'Support desk');
      assert.equal(created.createdAt, '2026-01-05T02:00:00.000Z');
      assert.equal(created.updatedAt, created.createdAt);
      assert.deepEqual(created.holidays.map((h) => h.date), ['2026-09-27', '2026-10-01', '2026-10-02'], 'sorted by date');
      const read = await calendars.get(a, created.id);
      assert.deepEqual(read, created, 'what is read back is what was written');
      assert.equal(read.holidays[1]!.hours, undefined);
      assert.deepEqual(read.holidays[2]!.hours, []);

      const second = await calendars.create(a, newYork('After hours line'));
      assert.deepEqual((await calendars.list(a)).map((c) => c.name), ['After hours line', 'Support desk'], 'ordered by name');

      clock.advance(60_000);
      const changed = await calendars.update(a, created.id, { ...shanghai('Support desk (China)'), weekly: { ...shanghai('').weekly, sat: [{ start: '10:00', end: '14:00' }] }, holidays: [] }, actor);
      assert.equal(changed.name, 'Support desk (China)');
      assert.equal(changed.createdAt, created.createdAt);
      assert.equal(changed.updatedAt, '2026-01-05T02:01:00.000Z');
      assert.deepEqual(await calendars.get(a, created.id), changed);
      assert.deepEqual((await calendars.get(a, created.id)).weekly.sat, [{ start: '10:00', end: '14:00' }]);
      assert.deepEqual((await calendars.get(a, created.id)).holidays, []);

      await calendars.remove(a, second.id, actor);
      assert.equal((await rejection(calendars.get(a, second.id))).code, 'SB_NOT_FOUND');
      assert.equal((await rejection(calendars.remove(a, second.id))).status, 404);
      assert.deepEqual((await calendars.list(a)).map((c) => c.id), [created.id]);

      const trail = (await audit.list(a, { limit: 20 })).filter((e) => e.targetType === 'calendar').reverse();
      assert.deepEqual(trail.map((e) => [e.action, e.targetId]), [
        ['calendar.created', created.id], ['calendar.created', second.id], ['calendar.updated', created.id], ['calendar.deleted', second.id],
      ]);
      assert.deepEqual(trail[2]!.details, { name: 'Support desk (China)', previousName: 'Support desk', timeZone: 'Asia/Shanghai' });
      assert.equal(trail[0]!.actorName, 'ada');
      assert.equal(trail[0]!.ip, '192.0.2.7');
      assert.equal(trail[1]!.actorName, 'system');
      assert.deepEqual(await audit.verify(a), { ok: true, checked: (await audit.list(a, { limit: 100 })).length, brokenAt: null });
    });

    test('names are unique within a tenant, and only there', async () => {
      const first = await calendars.create(a, shanghai('Sales'));
      const dup = await rejection(calendars.create(a, newYork('Sales')));
      assert.equal(dup.code, 'SB_CALENDAR_EXISTS');
      assert.equal(dup.status, 409);
      const other = await calendars.create(a, newYork('Billing'));
      assert.equal((await rejection(calendars.update(a, other.id, newYork('Sales')))).code, 'SB_CALENDAR_EXISTS');
      assert.equal((await calendars.update(a, first.id, { ...shanghai('Sales'), timeZone: 'Asia/Hong_Kong' })).timeZone, 'Asia/Hong_Kong', 'keeping its own name');
      const theirs = await calendars.create(b, newYork('Sales'));
      assert.equal(theirs.name, 'Sales');
      assert.equal((await calendars.list(a)).filter((c) => c.name === 'Sales').length, 1);
    });

    test('two writers racing for one name: one wins, the other is told the name is taken', async () => {
      // On SQLite both name checks run before either insert, so the loser meets the unique constraint.
      const results = await Promise.allSettled([calendars.create(a, shanghai('Raced')), calendars.create(a, newYork('Raced'))]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const lost = results.find((r) => r.status === 'rejected');
      assert.equal((lost?.reason as DomainError).code, 'SB_CALENDAR_EXISTS');
      assert.equal((await calendars.list(a)).filter((c) => c.name === 'Raced').length, 1);
    });

    test('another tenant\'s calendar is not found: not read, changed, deleted or listed', async () => {
      const ours = await calendars.create(a, shanghai('Ours only'));
      const before = await calendars.get(a, ours.id);
      for (const attempt of [
        () => calendars.get(b, ours.id), () => calendars.update(b, ours.id, newYork('Hijacked')), () => calendars.remove(b, ours.id), () => calendars.status(b, ours.id),
      ]) {
        const e = await rejection(attempt());
        assert.equal(e.code, 'SB_NOT_FOUND');
        assert.equal(e.message, (await rejection(calendars.get(b, '00000000-0000-4000-8000-000000000000'))).message, 'as for an id that never existed');
      }
      assert.deepEqual(await calendars.get(a, ours.id), before);
      assert.ok((await calendars.list(b)).every((c) => c.id !== ours.id));
      assert.equal((await calendars.list(b)).some((c) => c.name === 'Hijacked'), false);
    });

    test('invalid input is refused with the field named, and nothing is stored', async () => {
      const count = (await calendars.list(a)).length;
      const cases: [CalendarInput, string][] = [
        [{ ...shanghai('Bad zone'), timeZone: 'Asia/Atlantis' }, 'timeZone'],
        [{ ...shanghai('Bad time'), weekly: { ...shanghai('').weekly, mon: [{ start: '09:00', end: '25:00' }] } }, 'weekly.mon.0.end'],
        [{ ...shanghai('Overlap'), weekly: { ...shanghai('').weekly, fri: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '18:00' }] } }, 'weekly.fri.1.start'],
        [{ ...shanghai('Bad date'), holidays: [{ date: '2026-02-29', name: 'Not a leap year' }] }, 'holidays.0.date'],
        [shanghai(' '), 'name'],
        [shanghai('x'.repeat(129)), 'name'],
      ];
      for (const [input, field] of cases) {
        const e = await rejection(calendars.create(a, input));
        assert.equal(e.code, 'SB_VALIDATION', field);
        assert.equal(e.status, 400);
        assert.deepEqual(e.details, { field });
      }
      assert.equal((await calendars.list(a)).length, count);
      const kept = await calendars.create(a, shanghai('Kept'));
      const e = await rejection(calendars.update(a, kept.id, { ...shanghai('Kept'), timeZone: 'UTC+8' }));
      assert.deepEqual(e.details, { field: 'timeZone' });
      assert.equal((await calendars.get(a, kept.id)).timeZone, 'Asia/Shanghai');
    });

    test('status: open or closed now (from the clock) or at a given instant, and the next change', async () => {
      const desk = await calendars.create(a, shanghai('Status desk'));
      // The clock stands on Monday 2026-01-05 shortly after 10:00 in Shanghai; the lunch break starts at 12:00.
      assert.deepEqual(await calendars.status(a, desk.id), { at: new Date(clock.now()).toISOString(), open: true, nextChange: '2026-01-05T04:00:00.000Z' });
      assert.deepEqual(await calendars.status(a, desk.id, Date.parse('2026-10-01T03:00:00Z')), { at: '2026-10-01T03:00:00.000Z', open: false, nextChange: '2026-10-05T01:00:00.000Z' });
      const line = await calendars.create(b, newYork('Always'));
      assert.deepEqual(await calendars.status(b, line.id, Date.parse('2026-03-08T07:00:00Z')), { at: '2026-03-08T07:00:00.000Z', open: true, nextChange: null });
    });
  });
}
