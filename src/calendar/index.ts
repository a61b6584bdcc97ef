// Business calendars: opening hours, holidays and time zones per tenant, and business-time arithmetic.
// The pure functions expect a calendar that passed validateCalendar (every stored one has); instants
// are epoch milliseconds UTC; nextOpening, nextClosing and addBusinessMs answer undefined when no
// change comes within HORIZON_DAYS.
export {
  Weekday, WEEKDAYS, HORIZON_DAYS, validateCalendar, isOpen, nextOpening, nextClosing, businessMsBetween, addBusinessMs, localDate, startOfLocalDay,
  type BusinessCalendar, type OpeningRange, type Holiday, type CalendarCheck,
} from './business-calendar.ts';
export { type Calendar, type CalendarTables } from './calendar-store.sql.ts';
export { Calendars, MAX_CALENDAR_NAME, type CalendarsDeps, type CalendarInput, type CalendarActor, type CalendarStatus } from './calendars.ts';
