// Managing a tenant's business calendars: every input is validated (the offending field named),
// names are unique per tenant, every change is audited, and all access is tenant-scoped.
import type { AuditRecord } from '../audit/index.ts';
import { DomainError, newId, notFound, type Clock } from '../kernel/index.ts';
import type { SqlDatabase } from '../storage/index.ts';
import { isOpen, nextClosing, nextOpening, validateCalendar, type BusinessCalendar, type Holiday, type OpeningRange, type Weekday } from './business-calendar.ts';
import { SqlCalendarStore, type Calendar } from './calendar-store.sql.ts';

export interface CalendarActor {
  userId: string | null;
  name: string;
  ip: string | null;
}

/** What a caller sends to create or replace a calendar; `holidays` defaults to none. */
export interface CalendarInput {
  name: string;
  timeZone: string;
  weekly: Record<Weekday, OpeningRange[]>;
  holidays?: Holiday[] | undefined;
}

/** Whether a calendar is open at an instant, and the next change (closing if open, opening if closed) within the horizon. */
export interface CalendarStatus {
  at: string;
  open: boolean;
  nextChange: string | null;
}

export interface CalendarsDeps {
  db: SqlDatabase;
  clock: Clock;
  audit: { append(rec: AuditRecord): Promise<void> };
}

export const MAX_CALENDAR_NAME = 128;

const invalid = (field: string, message: string): DomainError => new DomainError('SB_VALIDATION', 400, message, { field });

const exists = (name: string): DomainError => new DomainError('SB_CALENDAR_EXISTS', 409, `a calendar named ${name} already exists`);

function checkInput(input: CalendarInput): { name: string } & BusinessCalendar {
  const { name, ...rest } = input as unknown as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_CALENDAR_NAME) {
    throw invalid('name', `name must be a non-empty text of at most ${MAX_CALENDAR_NAME} characters`);
  }
  const checked = validateCalendar(rest);
  if (!checked.ok) throw invalid(checked.field, checked.message);
  return { name, ...checked.calendar };
}

export class Calendars {
  readonly #store: SqlCalendarStore;
  readonly #clock: Clock;
  readonly #audit: CalendarsDeps['audit'];

  constructor(deps: CalendarsDeps) {
    this.#store = new SqlCalendarStore(deps.db);
    this.#clock = deps.clock;
    this.#audit = deps.audit;
  }

  list(tenantId: string): Promise<Calendar[]> {
    return this.#store.list(tenantId);
  }

  /** Throws SB_NOT_FOUND for an id that is not the tenant's. */
  async get(tenantId: string, id: string): Promise<Calendar> {
    const c = await this.#store.get(tenantId, id);
    if (!c) throw notFound('calendar');
    return c;
  }

  /** Throws SB_VALIDATION naming the field, or SB_CALENDAR_EXISTS when the name is taken in the tenant. */
  async create(tenantId: string, input: CalendarInput, actor?: CalendarActor): Promise<Calendar> {
    const fields = checkInput(input);
    if (await this.#store.byName(tenantId, fields.name)) throw exists(fields.name);
    const now = new Date(this.#clock.now()).toISOString();
    const calendar: Calendar = { id: newId(), ...fields, createdAt: now, updatedAt: now };
    await this.#unique(tenantId, fields.name, calendar.id, () => this.#store.insert(tenantId, calendar));
    await this.#record(tenantId, actor, 'calendar.created', calendar.id, { name: calendar.name, timeZone: calendar.timeZone });
    return calendar;
  }

  /** Replaces the calendar's name, zone, hours and holidays; the same errors as `create`, and SB_NOT_FOUND. */
  async update(tenantId: string, id: string, input: CalendarInput, actor?: CalendarActor): Promise<Calendar> {
    const fields = checkInput(input);
    const current = await this.get(tenantId, id);
    const holder = await this.#store.byName(tenantId, fields.name);
    if (holder && holder.id !== id) throw exists(fields.name);
    const updatedAt = new Date(this.#clock.now()).toISOString();
    const changed = await this.#unique(tenantId, fields.name, id, () => this.#store.replace(tenantId, id, fields, updatedAt));
    if (!changed) throw notFound('calendar');
    const details = current.name === fields.name ? { name: fields.name } : { name: fields.name, previousName: current.name };
    await this.#record(tenantId, actor, 'calendar.updated', id, { ...details, timeZone: fields.timeZone });
    return { ...current, ...fields, updatedAt };
  }

  async remove(tenantId: string, id: string, actor?: CalendarActor): Promise<void> {
    const current = await this.get(tenantId, id);
    if (!(await this.#store.remove(tenantId, id))) throw notFound('calendar');
    await this.#record(tenantId, actor, 'calendar.deleted', id, { name: current.name });
  }

  /** Open or closed at `at` (default: now), and the next change within the horizon of business-calendar.ts. */
  async status(tenantId: string, id: string, at: number = this.#clock.now()): Promise<CalendarStatus> {
    if (!Number.isFinite(at)) throw invalid('at', 'at must be an instant');
    const c = await this.get(tenantId, id);
    const open = isOpen(c, at);
    const next = open ? nextClosing(c, at) : nextOpening(c, at);
    return { at: new Date(at).toISOString(), open, nextChange: next === undefined ? null : new Date(next).toISOString() };
  }

  /** Runs a write of calendar `id`; when it fails because another calendar took the name meanwhile, answers SB_CALENDAR_EXISTS. */
  async #unique<R>(tenantId: string, name: string, id: string, write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } catch (err) {
      const holder = await this.#store.byName(tenantId, name).catch(() => undefined);
      if (holder && holder.id !== id) throw exists(name);
      throw err;
    }
  }

  #record(tenantId: string, actor: CalendarActor | undefined, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    return this.#audit.append({
      tenantId, action, targetType: 'calendar', targetId, details, actorId: actor?.userId ?? null, actorName: actor?.name ?? 'system', ip: actor?.ip ?? null,
    });
  }
}
