// Business calendars in SQLite/PostgreSQL (table calendar_business_calendar), tenant-scoped.
// Weekly hours and holidays are kept as JSON text in the shape of BusinessCalendar.
import type { Kysely } from 'kysely';
import { tables, type SqlDatabase } from '../storage/index.ts';
import { TenantScope } from '../tenancy/index.ts';
import type { BusinessCalendar, Holiday, OpeningRange, Weekday } from './business-calendar.ts';

/** A tenant's named business calendar. */
export interface Calendar extends BusinessCalendar {
  id: string;
  /** Unique within the tenant. */
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface CalendarTables {
  calendar_business_calendar: {
    id: string; tenant_id: string; name: string; time_zone: string; weekly: string; holidays: string; created_at: string; updated_at: string;
  };
}
type Row = CalendarTables['calendar_business_calendar'];

const toCalendar = (r: Row): Calendar => ({
  id: r.id, name: r.name, timeZone: r.time_zone,
  weekly: JSON.parse(r.weekly) as Record<Weekday, OpeningRange[]>, holidays: JSON.parse(r.holidays) as Holiday[],
  createdAt: r.created_at, updatedAt: r.updated_at,
});

const columns = (c: { name: string } & BusinessCalendar) => ({
  name: c.name, time_zone: c.timeZone, weekly: JSON.stringify(c.weekly), holidays: JSON.stringify(c.holidays),
});

export class SqlCalendarStore {
  readonly #db: Kysely<CalendarTables>;

  constructor(db: SqlDatabase) {
    this.#db = tables<CalendarTables>(db);
  }

  #scope(tenantId: string): TenantScope<CalendarTables> {
    return new TenantScope(this.#db, tenantId);
  }

  async list(tenantId: string): Promise<Calendar[]> {
    return (await this.#scope(tenantId).selectFrom('calendar_business_calendar').selectAll().orderBy('name').execute()).map(toCalendar);
  }

  async get(tenantId: string, id: string): Promise<Calendar | undefined> {
    const row = await this.#scope(tenantId).selectFrom('calendar_business_calendar').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCalendar(row) : undefined;
  }

  async byName(tenantId: string, name: string): Promise<Calendar | undefined> {
    const row = await this.#scope(tenantId).selectFrom('calendar_business_calendar').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toCalendar(row) : undefined;
  }

  async insert(tenantId: string, c: Calendar): Promise<void> {
    await this.#scope(tenantId).insertInto('calendar_business_calendar', { id: c.id, ...columns(c), created_at: c.createdAt, updated_at: c.updatedAt }).execute();
  }

  /** Replaces name, zone, hours and holidays; false when there is no such calendar in the tenant. */
  async replace(tenantId: string, id: string, c: { name: string } & BusinessCalendar, updatedAt: string): Promise<boolean> {
    const r = await this.#scope(tenantId).updateTable('calendar_business_calendar').set({ ...columns(c), updated_at: updatedAt }).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** False when there is no such calendar in the tenant. */
  async remove(tenantId: string, id: string): Promise<boolean> {
    const r = await this.#scope(tenantId).deleteFrom('calendar_business_calendar').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
