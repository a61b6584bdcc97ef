// Tickets against real SQLite and PostgreSQL, real calendars and a manual clock: workflows, SLA clocks in
// business hours (lunch, holiday, DST), pauses, warnings and breaches at their instants, escalation,
// restart safety, comments, attachments, watchers, history, idempotent create, lists, isolation, timeline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../audit/index.ts';
import { Calendars } from '../calendar/index.ts';
import { Customers } from '../crm/index.ts';
import { DomainError, IDEMPOTENCY_TTL_MS, ManualClock, MemoryEventBus, silentLogger } from '../kernel/index.ts';
import { openTestStorage, testStorageTargets, type SqlDialectName, type Storage } from '../storage/index.ts';
import { TenantStore } from '../tenancy/index.ts';
import type { TicketEvents } from './ticket-events.ts';
import type { Ticket, TicketActor, TicketRouter } from './ticket-model.ts';
import { Tickets, type TicketReferences } from './tickets.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Shanghai local time (UTC+8) as epoch ms. */
const cst = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 8, mi);
const isoCst = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(cst(y, mo, d, h, mi)).toISOString();

const AGENT: TicketActor = { userId: 'u-agent', name: 'Wei Agent', ip: '10.0.0.5' };
const SUPERVISOR: TicketActor = { userId: 'u-sup', name: 'Sue Supervisor', ip: '10.0.0.6' };

const day = (...r: [string, string][]) => r.map(([start, end]) => ({ start, end }));
const LUNCH = day(['09:00', '12:00'], ['13:00', '18:00']);
const SHANGHAI_HOURS = {
  name: 'Service desk', timeZone: 'Asia/Shanghai', weekly: { mon: LUNCH, tue: LUNCH, wed: LUNCH, thu: LUNCH, fri: LUNCH, sat: [], sun: [] },
  holidays: [{ date: '2026-05-01', name: 'Labour Day' }],
};

type Event = { name: keyof TicketEvents; payload: Record<string, unknown> };

interface World {
  storage: Storage;
  clock: ManualClock;
  tickets: Tickets;
  calendars: Calendars;
  customers: Customers;
  events: Event[];
  A: string;
  B: string;
  /** Another service on the same database (a restart). */
  rebuild(router?: TicketRouter): Tickets;
  /** Who exists in each tenant, for the references port. */
  people: { users: Map<string, Set<string>>; teams: Map<string, Set<string>>; interactions: Map<string, Set<string>> };
  dir: string;
}

async function withTickets(dialect: SqlDialectName, start: number, fn: (w: World) => Promise<void>, router?: TicketRouter): Promise<void> {
  const storage = await openTestStorage(dialect);
  const dir = mkdtempSync(join(tmpdir(), 'sb-tickets-'));
  const services: Tickets[] = [];
  try {
    const clock = new ManualClock(start);
    const tenants = new TenantStore(storage.db);
    const a = await tenants.create({ slug: 'a', name: 'A', timeZone: 'Asia/Shanghai' }, new Date(clock.now()));
    const b = await tenants.create({ slug: 'b', name: 'B', timeZone: 'Asia/Taipei' }, new Date(clock.now()));
    const audit = new AuditLog(storage.db, clock);
    const bus = new MemoryEventBus<TicketEvents & Record<string, { tenantId: string }>>();
    const events: Event[] = [];
    bus.subscribeAll((name, payload) => events.push({ name: name as keyof TicketEvents, payload: payload as Record<string, unknown> }));
    const calendars = new Calendars({ db: storage.db, clock, audit });
    const customers = new Customers({ db: storage.db, clock, audit, bus });
    const people = {
      users: new Map([[a.id, new Set(['u-agent', 'u-sup', 'u-other'])], [b.id, new Set(['u-b'])]]),
      teams: new Map([[a.id, new Set(['t-escalations', 't-field'])], [b.id, new Set(['t-b'])]]),
      interactions: new Map([[a.id, new Set(['call-1', 'call-2'])], [b.id, new Set(['call-b'])]]),
      queues: new Map([[a.id, new Set(['q-support'])], [b.id, new Set(['q-b'])]]),
    };
    const references: TicketReferences = {
      hasUser: async (t, id) => people.users.get(t)?.has(id) ?? false,
      hasTeam: async (t, id) => people.teams.get(t)?.has(id) ?? false,
      hasCustomer: (t, id) => customers.get(t, id).then(() => true, () => false),
      hasInteraction: async (t, id) => people.interactions.get(t)?.has(id) ?? false,
      hasQueue: async (t, id) => people.queues.get(t)?.has(id) ?? false,
    };
    const rebuild = (r?: TicketRouter) => {
      const s = new Tickets({ db: storage.db, clock, bus, audit, log: silentLogger, calendars, references, attachmentsDir: join(dir, 'attachments'), router: r });
      services.push(s);
      return s;
    };
    const tickets = rebuild(router);
    await tickets.start();
    await fn({ storage, clock, tickets, calendars, customers, events, A: a.id, B: b.id, rebuild, people, dir });
  } finally {
    for (const s of services) await s.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const code = (c: string, status?: number) => (e: unknown) => {
  assert.ok(e instanceof DomainError, `expected a DomainError, got ${String(e)}`);
  assert.equal(e.code, c, e.message);
  if (status !== undefined) assert.equal(e.status, status);
  return true;
};

const named = (events: Event[], ...names: (keyof TicketEvents)[]) => events.filter((e) => names.includes(e.name));

/** Moves the clock to `at` and waits for the SLA scheduler to finish what fell due. */
async function advanceTo(w: World, at: number, tickets = w.tickets): Promise<void> {
  w.clock.advance(at - w.clock.now());
  await tickets.settled();
}

/** A complaint policy: first response 2 h, resolution 8 h of the Shanghai calendar, warning at 80 %, escalation to a team. */
async function complaintPolicy(w: World, extra: Partial<{ warnAtPercent: number | null; priority: 'high' | 'normal' }> = {}) {
  const cal = await w.calendars.create(w.A, SHANGHAI_HOURS);
  const complaint = (await w.tickets.types(w.A)).find((t) => t.key === 'complaint')!;
  await w.tickets.setPolicies(w.A, complaint.id, [{
    priority: extra.priority ?? 'high', calendarId: cal.id, firstResponseMinutes: 120, resolutionMinutes: 480, warnAtPercent: extra.warnAtPercent === undefined ? 80 : extra.warnAtPercent,
    escalation: { assigneeTeamId: 't-escalations', notifySupervisors: true },
  }]);
  return { calendarId: cal.id, typeId: complaint.id };
}

const THURSDAY_4PM = cst(2026, 4, 30, 16);

for (const dialect of testStorageTargets()) {
  describe(`tickets (${dialect})`, () => {
    test('a workspace gets the default types on first use; tickets are numbered per workspace', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A, B, events }) => {
      const types = await tickets.types(A);
      assert.deepEqual(types.map((t) => t.key), ['inquiry', 'complaint', 'repair']);
      const one = await tickets.create(A, { subject: 'Where is my order?' }, AGENT);
      const two = await tickets.create(A, { type: 'repair', subject: 'Router broken', fields: { warranty: 'in warranty' } }, AGENT);
      const other = await tickets.create(B, { type: 'complaint', subject: 'Late delivery', category: 'delivery' }, AGENT);
      assert.deepEqual([one.number, two.number, other.number], [1, 2, 1]);
      assert.equal(one.typeId, types[0]!.id);
      assert.deepEqual([one.status, one.statusCategory, one.priority, one.sla], ['new', 'open', 'normal', null]);
      assert.deepEqual(one.createdBy, { id: 'u-agent', name: 'Wei Agent' });
      assert.deepEqual(named(events, 'TicketCreated').map((e) => e.payload['number']), [1, 2, 1]);
      await assert.rejects(tickets.create(A, { type: 'nonsense', subject: 'x' }), (e: unknown) => code('SB_VALIDATION', 400)(e) && (e as DomainError).details?.['field'] === 'type');
    }));

    test('the workflow is enforced: a forbidden move is a 409 with the allowed targets and changes nothing', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A }) => {
      const t = await tickets.create(A, { type: 'complaint', subject: 'Rude staff' }, AGENT);
      await assert.rejects(tickets.update(A, t.id, { status: 'closed' }, AGENT), (e: unknown) => {
        code('SB_TICKETS_TRANSITION_FORBIDDEN', 409)(e);
        assert.deepEqual((e as DomainError).details, { from: 'new', to: 'closed', allowed: ['assigned', 'in_progress'] });
        return true;
      });
      assert.equal((await tickets.get(A, t.id)).status, 'new');
      await assert.rejects(tickets.update(A, t.id, { status: 'lost' }, AGENT), code('SB_VALIDATION', 400));
      for (const status of ['assigned', 'in_progress', 'resolved']) await tickets.update(A, t.id, { status }, AGENT);
      const resolved = await tickets.get(A, t.id);
      assert.deepEqual([resolved.statusCategory, typeof resolved.resolvedAt], ['resolved', 'string']);
      const reopened = await tickets.update(A, t.id, { status: 'in_progress' }, AGENT);
      assert.deepEqual([reopened.statusCategory, reopened.resolvedAt], ['open', null]);
      await tickets.update(A, t.id, { status: 'resolved' }, AGENT);
      const closed = await tickets.update(A, t.id, { status: 'closed' }, AGENT);
      assert.equal(typeof closed.closedAt, 'string');
      await assert.rejects(tickets.update(A, t.id, { status: 'in_progress' }, AGENT), (e: unknown) => code('SB_TICKETS_TRANSITION_FORBIDDEN')(e) && same((e as DomainError).details?.['allowed'], []));
    }));

    test('categories and custom fields follow the type; a wrong one is a 400 naming the field', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A }) => {
      const field = (f: string) => (e: unknown) => code('SB_VALIDATION', 400)(e) && (e as DomainError).details?.['field'] === f;
      await assert.rejects(tickets.create(A, { type: 'complaint', subject: 'x', category: 'weather' }), field('category'));
      await assert.rejects(tickets.create(A, { type: 'complaint', subject: 'x', fields: { colour: 'red' } }), field('fields.colour'));
      await assert.rejects(tickets.create(A, { type: 'complaint', subject: 'x', fields: { compensation: 'lots' } }), field('fields.compensation'));
      await assert.rejects(tickets.create(A, { type: 'repair', subject: 'x', fields: { visit_date: '2026-13-01' } }), field('fields.visit_date'));
      await assert.rejects(tickets.create(A, { subject: ' ' }), field('subject'));
      await assert.rejects(tickets.create(A, { subject: 'x', assigneeUserId: 'u-b' }), field('assigneeUserId'));
      await assert.rejects(tickets.create(A, { subject: 'x', interactionIds: ['call-1', 'call-b'] }), field('interactionIds.1'));
      const t = await tickets.create(A, { type: 'repair', subject: 'AC leaking', category: 'repair', fields: { visit_date: '2026-05-06', site_address: 'Nanjing Rd 1' }, interactionIds: ['call-1', 'call-1'] });
      assert.deepEqual([t.category, t.fields, t.interactionIds], ['repair', { visit_date: '2026-05-06', site_address: 'Nanjing Rd 1' }, ['call-1']]);
      const inquiry = await tickets.create(A, { subject: 'x', category: '  anything goes ' });
      assert.equal(inquiry.category, 'anything goes', 'free text where the type lists no categories');
    }));

    test('SLA in business hours: warning and breach at their instants, escalation, persisted breaches, one timer', () => withTickets(dialect, THURSDAY_4PM, async (w) => {
      const { tickets, A, events } = w;
      await complaintPolicy(w);
      const t = await tickets.create(A, { type: 'complaint', subject: 'Broken on arrival', priority: 'high', assigneeUserId: 'u-agent' }, AGENT);
      assert.equal(t.sla!.firstResponse!.dueAt, isoCst(2026, 4, 30, 18));
      assert.equal(t.sla!.firstResponse!.warnAt, isoCst(2026, 4, 30, 17, 36));
      // Thursday 2 h, Friday is Labour Day, Monday 09-12 and 13-16.
      assert.equal(t.sla!.resolution!.dueAt, isoCst(2026, 5, 4, 16));
      assert.equal(t.sla!.resolution!.warnAt, isoCst(2026, 5, 4, 14, 24));
      for (let i = 0; i < 5; i++) await tickets.create(A, { type: 'complaint', subject: `another ${i}`, priority: 'high' }, AGENT);
      assert.equal(w.clock.pending(), 1, 'one timer for every ticket');

      events.length = 0;
      await advanceTo(w, cst(2026, 4, 30, 17, 36) - 1);
      assert.deepEqual(named(events, 'TicketSlaWarning', 'TicketSlaBreached'), []);
      await advanceTo(w, cst(2026, 4, 30, 17, 36));
      const warnings = named(events, 'TicketSlaWarning').filter((e) => e.payload['ticketId'] === t.id);
      assert.deepEqual(warnings.map((e) => e.payload), [{ tenantId: A, ticketId: t.id, metric: 'first_response', dueAt: isoCst(2026, 4, 30, 18), at: isoCst(2026, 4, 30, 17, 36) }]);
      await advanceTo(w, cst(2026, 4, 30, 18) - 1);
      assert.deepEqual(named(events, 'TicketSlaBreached'), []);
      await advanceTo(w, cst(2026, 4, 30, 18));
      const breach = named(events, 'TicketSlaBreached').find((e) => e.payload['ticketId'] === t.id)!;
      assert.deepEqual({ ...breach.payload, breachId: undefined }, {
        tenantId: A, ticketId: t.id, breachId: undefined, metric: 'first_response', dueAt: isoCst(2026, 4, 30, 18), at: isoCst(2026, 4, 30, 18),
        escalation: { assigneeUserId: null, assigneeTeamId: 't-escalations', notifySupervisors: true },
      });
      const escalated = await tickets.get(A, t.id);
      assert.deepEqual([escalated.assigneeTeamId, escalated.assigneeUserId, escalated.breached, escalated.sla!.firstResponse!.state], ['t-escalations', 'u-agent', true, 'breached']);
      const updated = named(events, 'TicketUpdated').find((e) => e.payload['ticketId'] === t.id)!;
      assert.deepEqual(updated.payload['changed'], ['sla.first_response', 'breached', 'assigneeTeamId']);
      const history = await tickets.history(A, t.id);
      assert.deepEqual(history.filter((h) => h.actor.name === 'SLA').map((h) => [h.field, h.from, h.to]), [
        ['sla.first_response', null, { state: 'breached', dueAt: isoCst(2026, 4, 30, 18) }], ['assigneeTeamId', null, 't-escalations'],
      ]);
      const report = await tickets.breaches(A, { metric: 'first_response' });
      assert.equal(report.items.length, 6);
      const mine = report.items.find((b) => b.ticketId === t.id)!;
      assert.deepEqual([mine.ticketNumber, mine.priority, mine.targetMinutes, mine.dueAt, mine.assigneeUserId, mine.escalation?.assigneeTeamId], [1, 'high', 120, isoCst(2026, 4, 30, 18), 'u-agent', 't-escalations']);
      assert.equal((await tickets.list(A, { breached: true })).items.length, 6);

      events.length = 0;
      await advanceTo(w, cst(2026, 5, 4, 14, 24) - 1);
      assert.deepEqual(named(events, 'TicketSlaWarning', 'TicketSlaBreached'), [], 'nothing over the holiday and the weekend');
      await advanceTo(w, cst(2026, 5, 4, 16));
      const resolution = named(events, 'TicketSlaWarning', 'TicketSlaBreached').filter((e) => e.payload['ticketId'] === t.id);
      assert.deepEqual(resolution.map((e) => [e.name, e.payload['metric'], e.payload['at']]), [
        ['TicketSlaWarning', 'resolution', isoCst(2026, 5, 4, 14, 24)], ['TicketSlaBreached', 'resolution', isoCst(2026, 5, 4, 16)],
      ]);
      assert.equal((await tickets.breaches(A, { from: isoCst(2026, 5, 4, 0) })).items.length, 6);
      assert.equal(w.clock.pending(), 0, 'no clock left to watch');
    }));

    test('waiting on the customer pauses the clocks; they go on from where they stopped', () => withTickets(dialect, THURSDAY_4PM, async (w) => {
      const { tickets, A, events } = w;
      await complaintPolicy(w);
      const t = await tickets.create(A, { type: 'complaint', subject: 'Which model?', priority: 'high' }, AGENT);
      await advanceTo(w, cst(2026, 4, 30, 17));
      await tickets.update(A, t.id, { status: 'in_progress' }, AGENT);
      const waiting = await tickets.update(A, t.id, { status: 'waiting_on_customer' }, AGENT);
      assert.deepEqual([waiting.sla!.firstResponse!.state, waiting.sla!.firstResponse!.dueAt, waiting.sla!.firstResponse!.elapsedMs], ['paused', null, HOUR]);
      await advanceTo(w, cst(2026, 5, 4, 10));
      assert.deepEqual(named(events, 'TicketSlaWarning', 'TicketSlaBreached'), [], 'a paused clock neither warns nor breaches');
      const back = await tickets.update(A, t.id, { status: 'in_progress' }, AGENT);
      assert.equal(back.sla!.firstResponse!.dueAt, isoCst(2026, 5, 4, 11), '1 h left from Monday 10:00');
      assert.equal(back.sla!.resolution!.dueAt, isoCst(2026, 5, 4, 18), '7 h left: 10-12 and 13-18');
      await advanceTo(w, cst(2026, 5, 4, 11));
      assert.deepEqual(named(events, 'TicketSlaBreached').map((e) => [e.payload['metric'], e.payload['at']]), [['first_response', isoCst(2026, 5, 4, 11)]]);
    }));

    test('the first response is the first public comment by an agent', () => withTickets(dialect, THURSDAY_4PM, async (w) => {
      const { tickets, A, events, customers } = w;
      await complaintPolicy(w);
      const customer = await customers.create(A, { name: '李娜' });
      const t = await tickets.create(A, { type: 'complaint', subject: 'Refund', priority: 'high', customerId: customer.id }, AGENT);
      await advanceTo(w, cst(2026, 4, 30, 16, 10));
      const note = await tickets.comment(A, t.id, { body: 'Checking the order system', visibility: 'internal' }, AGENT);
      assert.deepEqual([note.visibility, note.author], ['internal', { kind: 'agent', id: 'u-agent', name: 'Wei Agent' }]);
      const fromCustomer = await tickets.comment(A, t.id, { body: 'Any news?', from: 'customer' }, AGENT);
      assert.deepEqual(fromCustomer.author, { kind: 'customer', id: customer.id, name: 'customer' });
      assert.equal((await tickets.get(A, t.id)).firstRespondedAt, null);
      await assert.rejects(tickets.comment(A, t.id, { body: 'x', from: 'customer', visibility: 'internal' }, AGENT), code('SB_VALIDATION', 400));
      await advanceTo(w, cst(2026, 4, 30, 16, 30));
      await tickets.comment(A, t.id, { body: '您好，我们正在处理您的退款。' }, AGENT);
      const answered = await tickets.get(A, t.id);
      assert.equal(answered.firstRespondedAt, isoCst(2026, 4, 30, 16, 30));
      assert.deepEqual([answered.sla!.firstResponse!.state, answered.sla!.firstResponse!.metAt, answered.sla!.firstResponse!.elapsedMs], ['met', isoCst(2026, 4, 30, 16, 30), 30 * MIN]);
      await tickets.comment(A, t.id, { body: 'second reply' }, SUPERVISOR);
      assert.equal((await tickets.get(A, t.id)).firstRespondedAt, isoCst(2026, 4, 30, 16, 30), 'only the first counts');
      await advanceTo(w, cst(2026, 4, 30, 18, 30));
      assert.deepEqual(named(events, 'TicketSlaWarning', 'TicketSlaBreached'), [], 'a met target is not breached');
      assert.deepEqual((await tickets.comments(A, t.id)).map((c) => c.visibility), ['internal', 'public', 'public', 'public']);
      assert.deepEqual(named(events, 'TicketCommented').map((e) => [e.payload['visibility'], e.payload['from']]), [['internal', 'agent'], ['public', 'customer'], ['public', 'agent'], ['public', 'agent']]);
    }));

    test('a DST change: a New York calendar counts Monday from 09:00 EDT', () => withTickets(dialect, Date.UTC(2026, 2, 6, 21, 0), async (w) => {
      const { tickets, A, events, calendars } = w;
      const nine = day(['09:00', '17:00']);
      const cal = await calendars.create(A, { name: 'NY', timeZone: 'America/New_York', weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [], sun: [] } });
      const inquiry = (await tickets.types(A))[0]!;
      await tickets.setPolicies(A, inquiry.id, [{ priority: 'normal', calendarId: cal.id, firstResponseMinutes: null, resolutionMinutes: 120, warnAtPercent: 50 }]);
      const t = await tickets.create(A, { subject: 'Account locked' }, AGENT);
      assert.equal(t.sla!.resolution!.dueAt, '2026-03-09T14:00:00.000Z');
      await advanceTo(w, Date.UTC(2026, 2, 9, 14, 0) - 1);
      assert.deepEqual(named(events, 'TicketSlaWarning').map((e) => e.payload['at']), ['2026-03-06T22:00:00.000Z']);
      assert.deepEqual(named(events, 'TicketSlaBreached'), []);
      await advanceTo(w, Date.UTC(2026, 2, 9, 14, 0));
      assert.deepEqual(named(events, 'TicketSlaBreached').map((e) => e.payload['at']), ['2026-03-09T14:00:00.000Z']);
    }));

    test('restart safety: a new service on the same database handles what the old one scheduled', () => withTickets(dialect, THURSDAY_4PM, async (w) => {
      const { A, events } = w;
      await complaintPolicy(w);
      const t = await w.tickets.create(A, { type: 'complaint', subject: 'Refund', priority: 'high' }, AGENT);
      await w.tickets.stop();
      assert.equal(w.clock.pending(), 0);
      w.clock.advance(cst(2026, 4, 30, 17, 40) - w.clock.now());
      assert.deepEqual(named(events, 'TicketSlaWarning'), [], 'nobody is watching while stopped');
      const restarted = w.rebuild();
      await restarted.start();
      assert.deepEqual(named(events, 'TicketSlaWarning').map((e) => [e.payload['ticketId'], e.payload['at']]), [[t.id, isoCst(2026, 4, 30, 17, 36)]], 'the missed warning, at its instant');
      assert.equal(w.clock.pending(), 1);
      await advanceTo(w, cst(2026, 4, 30, 18), restarted);
      assert.deepEqual(named(events, 'TicketSlaBreached').map((e) => [e.payload['ticketId'], e.payload['at']]), [[t.id, isoCst(2026, 4, 30, 18)]]);
    }));

    test('a priority change puts the clocks under that priority\'s policy and keeps their time', () => withTickets(dialect, THURSDAY_4PM, async (w) => {
      const { tickets, A } = w;
      const { typeId, calendarId } = await complaintPolicy(w);
      await tickets.setPolicies(A, typeId, [
        { priority: 'high', calendarId, firstResponseMinutes: 120, resolutionMinutes: 480, warnAtPercent: 80 },
        { priority: 'normal', calendarId, firstResponseMinutes: 240, resolutionMinutes: 960, warnAtPercent: null },
      ]);
      const t = await tickets.create(A, { type: 'complaint', subject: 'x' }, AGENT);
      assert.equal(t.sla!.firstResponse!.targetMinutes, 240);
      await advanceTo(w, cst(2026, 4, 30, 17));
      const high = await tickets.update(A, t.id, { priority: 'high' }, SUPERVISOR);
      assert.deepEqual([high.sla!.firstResponse!.targetMinutes, high.sla!.firstResponse!.elapsedMs, high.sla!.firstResponse!.dueAt], [120, HOUR, isoCst(2026, 4, 30, 18)]);
      assert.equal(high.sla!.warnAtPercent, 80);
    }));

    test('history: every change with who, when, field, old and new value', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A, clock }) => {
      const t = await tickets.create(A, { type: 'repair', subject: 'Washer', fields: { warranty: 'unknown' }, watcherIds: ['u-sup'] }, AGENT);
      clock.advance(MIN);
      await tickets.update(A, t.id, { subject: 'Washing machine', priority: 'urgent', assigneeUserId: 'u-other', assigneeTeamId: 't-field', fields: { warranty: 'in warranty', site_address: 'Lane 5' } }, SUPERVISOR);
      clock.advance(MIN);
      await tickets.update(A, t.id, { status: 'assigned' }, AGENT);
      await tickets.update(A, t.id, { subject: 'Washing machine' }, AGENT);
      await tickets.watch(A, t.id, 'u-agent', AGENT);
      await tickets.watch(A, t.id, 'u-agent', AGENT);
      await tickets.unwatch(A, t.id, 'u-sup', AGENT);
      await assert.rejects(tickets.watch(A, t.id, 'u-b', AGENT), code('SB_NOT_FOUND', 404));
      const h = await tickets.history(A, t.id);
      assert.deepEqual(h.map((x) => x.seq), h.map((_, i) => i + 1));
      assert.deepEqual(h.map((x) => [x.actor.name, x.field, x.from, x.to]), [
        ['Wei Agent', 'created', null, { number: 1, typeId: t.typeId, status: 'new', priority: 'normal', subject: 'Washer' }],
        ['Sue Supervisor', 'subject', 'Washer', 'Washing machine'],
        ['Sue Supervisor', 'fields.warranty', 'unknown', 'in warranty'],
        ['Sue Supervisor', 'fields.site_address', null, 'Lane 5'],
        ['Sue Supervisor', 'assigneeUserId', null, 'u-other'],
        ['Sue Supervisor', 'assigneeTeamId', null, 't-field'],
        ['Sue Supervisor', 'priority', 'normal', 'urgent'],
        ['Wei Agent', 'status', 'new', 'assigned'],
        ['Wei Agent', 'watcherIds', ['u-sup'], ['u-sup', 'u-agent']],
        ['Wei Agent', 'watcherIds', ['u-sup', 'u-agent'], ['u-agent']],
      ]);
      assert.equal(h[1]!.at, new Date(THURSDAY_4PM + MIN).toISOString());
      assert.equal(h[1]!.actor.id, 'u-sup');
      assert.deepEqual((await tickets.get(A, t.id)).watcherIds, ['u-agent']);
    }));

    test('attachments: stored under the data directory, type sniffed, name sanitized, limits enforced', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A, B, dir }) => {
      const t = await tickets.create(A, { subject: 'Invoice wrong' }, AGENT);
      const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
      const a = await tickets.attach(A, t.id, '../../etc/invoice:march?.pdf', pdf, AGENT);
      assert.deepEqual([a.name, a.mime, a.size], ['invoice_march_.pdf', 'application/pdf', pdf.length]);
      assert.ok(existsSync(join(dir, 'attachments', A, t.id, a.id)));
      const got = await tickets.download(A, t.id, a.id);
      assert.deepEqual(got.bytes, pdf);
      assert.deepEqual((await tickets.attachments(A, t.id)).map((x) => x.id), [a.id]);
      const exe = Buffer.alloc(256); exe.write('MZ', 0, 'latin1'); exe.writeUInt32LE(0x80, 0x3c); exe.write('PE\0\0', 0x80, 'latin1');
      await assert.rejects(tickets.attach(A, t.id, 'photo.jpg', exe, AGENT), code('SB_TICKETS_ATTACHMENT_TYPE', 415));
      await assert.rejects(tickets.attach(A, t.id, 'big.txt', Buffer.alloc(tickets.attachmentLimits.maxBytes + 1, 0x61), AGENT), code('SB_TICKETS_ATTACHMENT_TOO_LARGE', 413));
      assert.deepEqual(readdirSync(join(dir, 'attachments', A, t.id)), [a.id], 'rejected uploads leave no file');
      await assert.rejects(tickets.download(B, t.id, a.id), code('SB_NOT_FOUND', 404));
      await assert.rejects(tickets.attach(B, t.id, 'x.pdf', pdf, AGENT), code('SB_NOT_FOUND', 404));
      assert.deepEqual((await tickets.history(A, t.id)).at(-1)!.to, { id: a.id, name: 'invoice_march_.pdf', mime: 'application/pdf', size: pdf.length });
    }));

    test('idempotent create: the same key and body answer the first ticket; another body is a 422', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A, B, clock }) => {
      const first = await tickets.createOnce(A, 'key-1', { subject: 'From the web form', priority: 'high' }, AGENT);
      const again = await tickets.createOnce(A, 'key-1', { priority: 'high', subject: 'From the web form' }, AGENT);
      assert.deepEqual([first.status, first.replayed, again.status, again.replayed], [201, false, 201, true]);
      assert.deepEqual(again.value, first.value);
      assert.equal((await tickets.list(A)).items.length, 1);
      await assert.rejects(tickets.createOnce(A, 'key-1', { subject: 'Something else' }, AGENT), code('SB_TICKETS_IDEMPOTENCY_MISMATCH', 422));
      const elsewhere = await tickets.createOnce(B, 'key-1', { subject: 'Other workspace' }, AGENT);
      assert.equal(elsewhere.replayed, false, 'keys are per workspace');
      await assert.rejects(tickets.createOnce(A, 'key-2', { subject: 'x', category: null, type: 'nope' }, AGENT), code('SB_VALIDATION'));
      assert.equal((await tickets.createOnce(A, 'key-2', { subject: 'x' }, AGENT)).replayed, false, 'a failed request releases its key');
      clock.advance(IDEMPOTENCY_TTL_MS + 1);
      assert.equal((await tickets.createOnce(A, 'key-1', { subject: 'Something else' }, AGENT)).replayed, false, 'a day later the key is free');
    }));

    test('lists: filters combine, cursor pages neither skip nor repeat', () => withTickets(dialect, THURSDAY_4PM, async (w) => {
      const { tickets, A, B, customers, clock } = w;
      const c = await customers.create(A, { name: 'Zhang' });
      const made: Ticket[] = [];
      for (let i = 0; i < 7; i++) {
        made.push(await tickets.create(A, {
          type: i % 2 === 0 ? 'complaint' : 'inquiry', subject: `t${i}`, category: i % 2 === 0 ? 'billing' : null, assigneeUserId: i < 3 ? 'u-agent' : null,
          customerId: i === 4 ? c.id : null,
        }, AGENT));
      }
      await tickets.create(B, { subject: 'theirs' }, AGENT);
      clock.advance(HOUR);
      await tickets.update(A, made[5]!.id, { status: 'in_progress' }, AGENT);
      const numbers = (p: { items: Ticket[] }) => p.items.map((t) => t.number);
      assert.deepEqual(numbers(await tickets.list(A)), [7, 6, 5, 4, 3, 2, 1]);
      assert.deepEqual(numbers(await tickets.list(A, { type: 'complaint' })), [7, 5, 3, 1]);
      assert.deepEqual(numbers(await tickets.list(A, { category: 'billing', assigneeUserId: 'u-agent' })), [3, 1]);
      assert.deepEqual(numbers(await tickets.list(A, { customerId: c.id })), [5]);
      assert.deepEqual(numbers(await tickets.list(A, { status: 'in_progress' })), [6]);
      assert.deepEqual(numbers(await tickets.list(A, { statusCategory: 'open', status: 'new', type: 'inquiry' })), [4, 2]);
      assert.deepEqual(numbers(await tickets.list(A, { updatedSince: new Date(THURSDAY_4PM + HOUR).toISOString() })), [6]);
      assert.deepEqual(numbers(await tickets.list(A, { breached: true })), []);
      assert.deepEqual(numbers(await tickets.list(A, { type: 'unknown' })), []);
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await tickets.list(A, { limit: 3, cursor });
        seen.push(...numbers(page));
        if (pages === 0) await tickets.create(A, { subject: 'new while paging' }, AGENT);
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      assert.deepEqual([seen, pages], [[7, 6, 5, 4, 3, 2, 1], 3]);
      await assert.rejects(tickets.list(A, { cursor: 'garbage' }), code('SB_VALIDATION', 400));
    }));

    test('another workspace\'s ticket answers exactly like a missing one and is never changed', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A, B }) => {
      const t = await tickets.create(A, { subject: 'Mine' }, AGENT);
      const never = '00000000-0000-4000-8000-000000000000';
      for (const id of [t.id, never]) {
        await assert.rejects(tickets.get(B, id), (e: unknown) => code('SB_NOT_FOUND', 404)(e) && (e as Error).message === 'ticket not found');
        await assert.rejects(tickets.update(B, id, { subject: 'hijacked' }, AGENT), code('SB_NOT_FOUND', 404));
        await assert.rejects(tickets.comment(B, id, { body: 'hijacked' }, AGENT), code('SB_NOT_FOUND', 404));
        await assert.rejects(tickets.history(B, id), code('SB_NOT_FOUND', 404));
        await assert.rejects(tickets.watch(B, id, 'u-b', AGENT), (e: unknown) => code('SB_NOT_FOUND', 404)(e) && (e as Error).message === 'ticket not found');
      }
      assert.equal((await tickets.get(A, t.id)).subject, 'Mine');
      assert.deepEqual((await tickets.list(B)).items, []);
      const theirType = (await tickets.types(A))[0]!;
      await assert.rejects(tickets.type(B, theirType.id), code('SB_NOT_FOUND', 404));
      await assert.rejects(tickets.create(B, { type: theirType.id, subject: 'x' }), code('SB_VALIDATION', 400));
    }));

    test('the customer timeline shows ticket openings, status changes and public comments', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, customers, A, clock }) => {
      customers.addTimelineSource(tickets.timelineSource);
      const c = await customers.create(A, { name: 'Wang' });
      const t = await tickets.create(A, { type: 'complaint', subject: 'Damaged parcel', customerId: c.id }, AGENT);
      clock.advance(MIN);
      await tickets.comment(A, t.id, { body: 'internal only', visibility: 'internal' }, AGENT);
      clock.advance(MIN);
      await tickets.comment(A, t.id, { body: 'We will send a new one' }, AGENT);
      clock.advance(MIN);
      await tickets.update(A, t.id, { status: 'in_progress' }, AGENT);
      await tickets.create(A, { subject: 'someone else' }, AGENT);
      const page = await customers.timeline(A, c.id);
      assert.deepEqual(page.items.map((e) => [e.kind, e.summary]), [
        ['ticket', 'Ticket #1 is now in_progress'], ['ticket', 'Ticket #1: We will send a new one'], ['ticket', 'Ticket #1 opened: Damaged parcel'],
      ]);
      assert.deepEqual(page.items.map((e) => e.data?.['ticketId']), [t.id, t.id, t.id]);
      const older = await customers.timeline(A, c.id, { limit: 1, before: page.items[0]!.at });
      assert.equal(older.items[0]!.summary, 'Ticket #1: We will send a new one');
    }));

    test('concurrent changes of one ticket, from this node and another, are all applied, history in order', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A, rebuild }) => {
      const node2 = rebuild();
      const t = await tickets.create(A, { subject: 'Busy ticket' }, AGENT);
      await Promise.all([
        ...Array.from({ length: 4 }, (_, i) => (i % 2 === 0 ? tickets : node2).comment(A, t.id, { body: `comment ${i}` }, AGENT)),
        node2.update(A, t.id, { priority: 'urgent' }, SUPERVISOR), tickets.watch(A, t.id, 'u-sup', SUPERVISOR),
      ]);
      const after = await tickets.get(A, t.id);
      assert.deepEqual([after.priority, after.watcherIds], ['urgent', ['u-sup']]);
      assert.equal((await tickets.comments(A, t.id)).length, 4);
      const h = await tickets.history(A, t.id);
      assert.deepEqual(h.map((x) => x.seq), h.map((_, i) => i + 1));
      assert.equal(h.filter((x) => x.field === 'comment').length, 4);
    }));

    test('types: unique keys, statuses in use are kept, a used type is not deleted, policies are checked', () => withTickets(dialect, THURSDAY_4PM, async ({ tickets, A, B, calendars }) => {
      const wf = { initial: 'open', statuses: [{ key: 'open', name: 'Open', category: 'open' as const }, { key: 'done', name: 'Done', category: 'closed' as const }], transitions: [{ from: 'open', to: 'done' }] };
      const type = await tickets.createType(A, { key: 'callback', name: 'Callback request', workflow: wf });
      await assert.rejects(tickets.createType(A, { key: 'callback', name: 'Again', workflow: wf }), code('SB_TICKETS_TYPE_EXISTS', 409));
      await tickets.create(A, { type: 'callback', subject: 'call me' });
      const narrower = { ...wf, initial: 'done', statuses: [wf.statuses[1]!], transitions: [] };
      await assert.rejects(tickets.updateType(A, type.id, { key: 'callback', name: 'x', workflow: narrower }), (e: unknown) => code('SB_TICKETS_STATUS_IN_USE', 409)(e) && same((e as DomainError).details?.['statuses'], ['open']));
      const recategorized = { ...wf, statuses: [{ key: 'open', name: 'Open', category: 'pending' as const }, wf.statuses[1]!] };
      await assert.rejects(tickets.updateType(A, type.id, { key: 'callback', name: 'x', workflow: recategorized }), code('SB_TICKETS_STATUS_IN_USE', 409));
      const renamed = await tickets.updateType(A, type.id, { key: 'callback', name: 'Call back', workflow: { ...wf, statuses: [...wf.statuses, { key: 'later', name: 'Later', category: 'pending' }] } });
      assert.equal(renamed.workflow.statuses.length, 3);
      await assert.rejects(tickets.deleteType(A, type.id), code('SB_TICKETS_TYPE_IN_USE', 409));
      const unused = await tickets.createType(A, { key: 'spare', name: 'Spare', workflow: wf });
      await tickets.deleteType(A, unused.id);
      await assert.rejects(tickets.type(A, unused.id), code('SB_NOT_FOUND', 404));
      const theirs = await calendars.create(B, { ...SHANGHAI_HOURS, name: 'theirs' });
      const field = (f: string) => (e: unknown) => code('SB_VALIDATION', 400)(e) && (e as DomainError).details?.['field'] === f;
      const policy = { priority: 'normal' as const, calendarId: null, firstResponseMinutes: 60, resolutionMinutes: null, warnAtPercent: 80 };
      await assert.rejects(tickets.setPolicies(A, type.id, [{ ...policy, calendarId: theirs.id }]), field('items.0.calendarId'));
      await assert.rejects(tickets.setPolicies(A, type.id, [policy, policy]), field('items.1.priority'));
      await assert.rejects(tickets.setPolicies(A, type.id, [{ ...policy, warnAtPercent: 100 }]), field('items.0.warnAtPercent'));
      await assert.rejects(tickets.setPolicies(A, type.id, [{ ...policy, firstResponseMinutes: 1.5 }]), field('items.0.firstResponseMinutes'));
      await assert.rejects(tickets.setPolicies(A, type.id, [{ ...policy, escalation: { assigneeUserId: 'u-b' } }]), field('items.0.escalation.assigneeUserId'));
      const set = await tickets.setPolicies(A, type.id, [{ ...policy, priority: 'urgent' }, policy]);
      assert.deepEqual(set.map((p) => p.priority), ['normal', 'urgent']);
      assert.deepEqual(set[0]!.escalation, { assigneeUserId: null, assigneeTeamId: null, notifySupervisors: false });
    }));

    test('a TicketRouter assigns new unassigned tickets of a type that names a queue, and only those', async () => {
      const asked: [string, string][] = [];
      const router: TicketRouter = {
        route: async (_tenantId, t, queueId) => { asked.push([t.subject, queueId]); return t.priority === 'urgent' ? { assigneeTeamId: 't-field' } : undefined; },
      };
      await withTickets(dialect, THURSDAY_4PM, async ({ tickets, A }) => {
        const [inquiry] = await tickets.types(A);
        const routed = await tickets.updateType(A, inquiry!.id, { key: inquiry!.key, name: inquiry!.name, workflow: inquiry!.workflow, queueId: 'q-support' });
        assert.equal(routed.queueId, 'q-support');
        assert.equal((await tickets.type(A, inquiry!.id)).queueId, 'q-support', 'stored');
        const urgent = await tickets.create(A, { type: inquiry!.id, subject: 'Gas leak', priority: 'urgent' }, AGENT);
        assert.equal(urgent.assigneeTeamId, 't-field');
        assert.equal((await tickets.history(A, urgent.id)).at(-1)!.actor.name, 'router');
        assert.equal((await tickets.create(A, { type: inquiry!.id, subject: 'Question' }, AGENT)).assigneeTeamId, null);
        assert.equal((await tickets.create(A, { type: inquiry!.id, subject: 'Mine', priority: 'urgent', assigneeUserId: 'u-agent' }, AGENT)).assigneeTeamId, null, 'an assigned ticket is not routed');
        await tickets.create(A, { type: 'complaint', subject: 'Not routed', priority: 'urgent' }, AGENT);
        assert.deepEqual(asked, [['Gas leak', 'q-support'], ['Question', 'q-support']], 'a type without a queue is not routed');
      }, router);
    });

    test('a ticket type\'s queue must be a queue of the workspace; replacing the type without one stops routing', async () => {
      const field = (f: string) => (e: unknown) => code('SB_VALIDATION', 400)(e) && (e as DomainError).details?.['field'] === f;
      await withTickets(dialect, THURSDAY_4PM, async ({ tickets, A }) => {
        const workflow = (await tickets.types(A))[0]!.workflow;
        await assert.rejects(tickets.createType(A, { key: 'billing', name: 'Billing', workflow, queueId: 'q-b' }), field('queueId'));
        await assert.rejects(tickets.createType(A, { key: 'billing', name: 'Billing', workflow, queueId: 'nope' }), field('queueId'));
        const created = await tickets.createType(A, { key: 'billing', name: 'Billing', workflow, queueId: 'q-support' });
        assert.equal(created.queueId, 'q-support');
        assert.equal((await tickets.updateType(A, created.id, { key: 'billing', name: 'Billing', workflow })).queueId, null);
        assert.equal((await tickets.types(A)).find((x) => x.key === 'billing')!.queueId, null);
      });
    });
  });
}

function same(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
