// Business calendars: opening hours, holidays and time zone per calendar, and whether one is open.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HORIZON_DAYS, MAX_CALENDAR_NAME, WEEKDAYS, type CalendarInput, type Calendars } from '../../calendar/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { idParams, listOf } from '../schemas.ts';

const range = {
  type: 'object',
  required: ['start', 'end'],
  additionalProperties: false,
  properties: {
    start: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM, 00:00-23:59' },
    end: { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'local time HH:MM after start, up to 24:00' },
  },
} as const;

const ranges = { type: 'array', maxItems: 48, items: range, description: 'sorted by start, not overlapping; empty: closed' } as const;

const weekly = {
  type: 'object',
  required: [...WEEKDAYS],
  additionalProperties: false,
  properties: Object.fromEntries(WEEKDAYS.map((d) => [d, ranges])),
} as const;

const holiday = {
  type: 'object',
  required: ['date', 'name'],
  additionalProperties: false,
  properties: {
    date: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'local date YYYY-MM-DD' },
    name: { type: 'string', minLength: 1, maxLength: 128 },
    hours: { ...ranges, description: 'absent or empty: closed all day; otherwise these replace the weekly hours' },
  },
} as const;

const calendarBody = {
  type: 'object',
  required: ['name', 'timeZone', 'weekly'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: MAX_CALENDAR_NAME },
    timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Shanghai' },
    weekly,
    holidays: { type: 'array', maxItems: 1000, items: holiday },
  },
} as const;

const calendarSchema = {
  type: 'object',
  required: ['id', 'name', 'timeZone', 'weekly', 'holidays', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, timeZone: { type: 'string' }, weekly,
    holidays: { type: 'array', items: holiday }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
  },
} as const;

const statusSchema = {
  type: 'object',
  required: ['at', 'open', 'nextChange'],
  properties: {
    at: { type: 'string' },
    open: { type: 'boolean' },
    nextChange: { type: ['string', 'null'], description: `the next closing if open, the next opening if closed; null if none within ${HORIZON_DAYS} days` },
  },
} as const;

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};

export async function calendarRoutes(app: FastifyInstance, d: { calendars: Calendars }): Promise<void> {
  app.get('/api/calendars', {
    config: requires('calendars.read'),
    schema: { tags: ['calendars'], summary: 'Business calendars of the workspace', response: { 200: listOf(calendarSchema) } },
  }, async (req) => ({ items: await d.calendars.list(principalOf(req).tenantId) }));

  app.post<{ Body: CalendarInput }>('/api/calendars', {
    config: requires('calendars.manage'),
    schema: { tags: ['calendars'], summary: 'Create a business calendar: weekly opening hours and holidays in one time zone', body: calendarBody, response: { 201: calendarSchema } },
  }, async (req, reply) => reply.status(201).send(await d.calendars.create(principalOf(req).tenantId, req.body, actor(req))));

  app.get<{ Params: { id: string } }>('/api/calendars/:id', {
    config: requires('calendars.read'),
    schema: { tags: ['calendars'], summary: 'One business calendar', params: idParams, response: { 200: calendarSchema } },
  }, async (req) => d.calendars.get(principalOf(req).tenantId, req.params.id));

  app.put<{ Params: { id: string }; Body: CalendarInput }>('/api/calendars/:id', {
    config: requires('calendars.manage'),
    schema: { tags: ['calendars'], summary: 'Replace a business calendar', params: idParams, body: calendarBody, response: { 200: calendarSchema } },
  }, async (req) => d.calendars.update(principalOf(req).tenantId, req.params.id, req.body, actor(req)));

  app.delete<{ Params: { id: string } }>('/api/calendars/:id', {
    config: requires('calendars.manage'),
    schema: { tags: ['calendars'], summary: 'Delete a business calendar', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.calendars.remove(principalOf(req).tenantId, req.params.id, actor(req));
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string }; Querystring: { at?: string } }>('/api/calendars/:id/status', {
    config: requires('calendars.read'),
    schema: {
      tags: ['calendars'], summary: 'Whether the calendar is open at an instant (default: now) and when that next changes', params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { at: { type: 'string', format: 'date-time', description: 'RFC 3339 instant with offset' } } },
      response: { 200: statusSchema },
    },
  }, async (req) => {
    const tenantId = principalOf(req).tenantId;
    return req.query.at === undefined ? d.calendars.status(tenantId, req.params.id) : d.calendars.status(tenantId, req.params.id, Date.parse(req.query.at));
  });
}
