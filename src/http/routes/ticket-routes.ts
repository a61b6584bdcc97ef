// Tickets: list with filters and cursor pages, create (Idempotency-Key), get, change (fields, status
// along the workflow, assignment), comments, attachments (raw bytes, type sniffed), watchers, history,
// SLA breaches; ticket types with their workflows, categories, custom fields and SLA policies.
import { create as contentDisposition } from 'content-disposition';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FIELD_TYPES } from '../../crm/index.ts';
import {
  attachmentTooLarge, AUTHOR_KINDS, CLOCK_STATES, MAX_FIELDS, MAX_PAGE, MAX_STATUSES, PRIORITIES, SLA_METRICS, STATUS_CATEGORIES, VISIBILITIES,
  type NewComment, type NewTicket, type SlaMetric, type SlaPolicyInput, type TicketChanges, type TicketQuery, type Tickets, type TicketTypeInput,
} from '../../tickets/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { id, idParams, listOf } from '../schemas.ts';

const tags = ['tickets'];
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableId = { anyOf: [id, { type: 'null' }] } as const;
const iso = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$' } as const;
const limit = { type: 'string', pattern: '^[0-9]{1,3}$', description: `1 to ${MAX_PAGE}` } as const;
const fieldValues = {
  type: 'object', maxProperties: MAX_FIELDS, additionalProperties: { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'number' }, { type: 'null' }] },
  description: 'custom field key -> value (text, number, date YYYY-MM-DD, select option); null clears',
} as const;
const pageOf = (item: object) => ({
  type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: item }, nextCursor: nullableStr },
}) as const;

const clockSchema = {
  anyOf: [{ type: 'null' }, {
    type: 'object', required: ['targetMinutes', 'state', 'dueAt', 'warnAt', 'warnedAt', 'breachedAt', 'metAt', 'elapsedMs'],
    properties: {
      targetMinutes: { type: 'number' }, state: { type: 'string', enum: [...CLOCK_STATES] }, dueAt: nullableStr, warnAt: nullableStr, warnedAt: nullableStr,
      breachedAt: nullableStr, metAt: nullableStr, elapsedMs: { type: 'number', description: 'business time counted up to the clock\'s last change' },
    },
  }],
} as const;

const ticketSchema = {
  type: 'object',
  required: [
    'id', 'number', 'typeId', 'subject', 'description', 'status', 'statusCategory', 'priority', 'category', 'fields', 'customerId', 'interactionIds',
    'assigneeUserId', 'assigneeTeamId', 'watcherIds', 'createdBy', 'createdAt', 'updatedAt', 'firstRespondedAt', 'resolvedAt', 'closedAt', 'breached', 'sla',
  ],
  properties: {
    id: str, number: { type: 'integer' }, typeId: str, subject: str, description: str, status: str, statusCategory: { type: 'string', enum: [...STATUS_CATEGORIES] },
    priority: { type: 'string', enum: [...PRIORITIES] }, category: nullableStr,
    fields: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    customerId: nullableStr, interactionIds: { type: 'array', items: str }, assigneeUserId: nullableStr, assigneeTeamId: nullableStr,
    watcherIds: { type: 'array', items: str },
    createdBy: { type: 'object', required: ['id', 'name'], properties: { id: nullableStr, name: str } },
    createdAt: str, updatedAt: str, firstRespondedAt: nullableStr, resolvedAt: nullableStr, closedAt: nullableStr, breached: { type: 'boolean' },
    sla: {
      anyOf: [{ type: 'null' }, {
        type: 'object', required: ['calendarId', 'warnAtPercent', 'firstResponse', 'resolution'],
        properties: { calendarId: nullableStr, warnAtPercent: { type: ['integer', 'null'] }, firstResponse: clockSchema, resolution: clockSchema },
      }],
    },
  },
} as const;

const statusSchema = {
  type: 'object', required: ['key', 'name', 'category'], additionalProperties: false,
  properties: { key: { type: 'string', minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' }, name: { type: 'string', minLength: 1, maxLength: 100 }, category: { type: 'string', enum: [...STATUS_CATEGORIES] } },
} as const;
const transitionSchema = {
  type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: { type: 'string', maxLength: 40 }, to: { type: 'string', maxLength: 40 } },
} as const;
const workflowSchema = {
  type: 'object', required: ['initial', 'statuses', 'transitions'], additionalProperties: false,
  properties: {
    initial: { type: 'string', maxLength: 40 }, statuses: { type: 'array', minItems: 1, maxItems: MAX_STATUSES, items: statusSchema },
    transitions: { type: 'array', maxItems: MAX_STATUSES * MAX_STATUSES, items: transitionSchema },
  },
} as const;
const fieldDefinition = {
  type: 'object', required: ['key', 'label', 'type'], additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' }, label: { type: 'string', minLength: 1, maxLength: 100 },
    type: { type: 'string', enum: [...FIELD_TYPES] }, options: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 } }, required: { type: 'boolean' },
  },
} as const;
const typeBody = {
  type: 'object', required: ['key', 'name', 'workflow'], additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_-]*$' }, name: { type: 'string', minLength: 1, maxLength: 100 }, workflow: workflowSchema,
    categories: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 }, description: 'allowed categories; empty: free text' },
    fields: { type: 'array', maxItems: MAX_FIELDS, items: fieldDefinition },
    queueId: { ...nullableId, description: 'the ACD queue that works new unassigned tickets of this type (offered to agents as tasks); null or absent: not routed' },
  },
} as const;
const typeSchema = {
  type: 'object', required: ['id', 'key', 'name', 'workflow', 'categories', 'fields', 'queueId', 'createdAt', 'updatedAt'],
  properties: {
    id: str, key: str, name: str, workflow: workflowSchema, categories: { type: 'array', items: str },
    fields: {
      type: 'array',
      items: { type: 'object', required: ['key', 'label', 'type', 'options', 'required'], properties: { ...fieldDefinition.properties, options: { type: 'array', items: str } } },
    },
    queueId: nullableStr, createdAt: str, updatedAt: str,
  },
} as const;

const escalationSchema = {
  type: 'object', additionalProperties: false,
  properties: { assigneeUserId: nullableId, assigneeTeamId: nullableId, notifySupervisors: { type: 'boolean' } },
  description: 'on a breach: reassign to this user and/or team; notifySupervisors is carried in TicketSlaBreached',
} as const;
const minutes = { type: ['integer', 'null'], minimum: 1, description: 'business minutes of the calendar; null: no target' } as const;
const policyBody = {
  type: 'object', required: ['priority', 'calendarId', 'firstResponseMinutes', 'resolutionMinutes', 'warnAtPercent'], additionalProperties: false,
  properties: {
    priority: { type: 'string', enum: [...PRIORITIES] }, calendarId: { ...nullableId, description: 'business calendar; null: around the clock' },
    firstResponseMinutes: minutes, resolutionMinutes: minutes,
    warnAtPercent: { type: ['integer', 'null'], minimum: 1, maximum: 99, description: 'TicketSlaWarning at this share of a target; null: none' },
    escalation: escalationSchema,
  },
} as const;
const policySchema = {
  type: 'object', required: ['typeId', 'priority', 'calendarId', 'firstResponseMinutes', 'resolutionMinutes', 'warnAtPercent', 'escalation', 'updatedAt'],
  properties: {
    typeId: str, priority: { type: 'string', enum: [...PRIORITIES] }, calendarId: nullableStr, firstResponseMinutes: { type: ['integer', 'null'] },
    resolutionMinutes: { type: ['integer', 'null'] }, warnAtPercent: { type: ['integer', 'null'] },
    escalation: {
      type: 'object', required: ['assigneeUserId', 'assigneeTeamId', 'notifySupervisors'],
      properties: { assigneeUserId: nullableStr, assigneeTeamId: nullableStr, notifySupervisors: { type: 'boolean' } },
    },
    updatedAt: str,
  },
} as const;

const commentSchema = {
  type: 'object', required: ['id', 'ticketId', 'visibility', 'author', 'body', 'at'],
  properties: {
    id: str, ticketId: str, visibility: { type: 'string', enum: [...VISIBILITIES] },
    author: { type: 'object', required: ['kind', 'id', 'name'], properties: { kind: { type: 'string', enum: [...AUTHOR_KINDS] }, id: nullableStr, name: str } },
    body: str, at: str,
  },
} as const;
const attachmentSchema = {
  type: 'object', required: ['id', 'ticketId', 'name', 'mime', 'size', 'sha256', 'uploadedBy', 'at'],
  properties: {
    id: str, ticketId: str, name: str, mime: { type: 'string', description: 'sniffed from the content' }, size: { type: 'integer' }, sha256: str,
    uploadedBy: { type: 'object', required: ['id', 'name'], properties: { id: nullableStr, name: str } }, at: str,
  },
} as const;
const historySchema = {
  type: 'object', required: ['id', 'seq', 'at', 'actor', 'field', 'from', 'to'],
  properties: {
    id: str, seq: { type: 'integer' }, at: str, actor: { type: 'object', required: ['id', 'name'], properties: { id: nullableStr, name: str } },
    field: str, from: {}, to: {},
  },
} as const;
const breachSchema = {
  type: 'object',
  required: ['id', 'ticketId', 'ticketNumber', 'typeId', 'priority', 'metric', 'targetMinutes', 'dueAt', 'detectedAt', 'assigneeUserId', 'assigneeTeamId', 'escalation'],
  properties: {
    id: str, ticketId: str, ticketNumber: { type: 'integer' }, typeId: str, priority: str, metric: { type: 'string', enum: [...SLA_METRICS] },
    targetMinutes: { type: 'number' }, dueAt: str, detectedAt: str, assigneeUserId: nullableStr, assigneeTeamId: nullableStr,
    escalation: { anyOf: [{ type: 'null' }, policySchema.properties.escalation] },
  },
} as const;

const linkProperties = {
  customerId: { ...nullableId, description: 'a CRM customer of the workspace' },
  interactionIds: { type: 'array', maxItems: 100, items: id, description: 'interactions (calls, chats) this ticket is about' },
  assigneeUserId: { ...nullableId, description: 'a user of the workspace' },
  assigneeTeamId: { ...nullableId, description: 'a team of the workspace' },
} as const;
const newTicketBody = {
  type: 'object', required: ['subject'], additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 64, description: 'the type\'s id or key (inquiry, complaint, repair, ...); default: the first type' },
    subject: { type: 'string', minLength: 1, maxLength: 300 }, description: { type: 'string', maxLength: 20_000 },
    priority: { type: 'string', enum: [...PRIORITIES] }, category: { type: ['string', 'null'], maxLength: 100 }, fields: fieldValues, ...linkProperties,
    watcherIds: { type: 'array', maxItems: 100, items: id },
  },
} as const;
const changesBody = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    subject: { type: 'string', minLength: 1, maxLength: 300 }, description: { type: 'string', maxLength: 20_000 },
    priority: { type: 'string', enum: [...PRIORITIES] }, category: { type: ['string', 'null'], maxLength: 100 }, fields: fieldValues,
    status: { type: 'string', minLength: 1, maxLength: 40, description: 'move along the workflow; a forbidden move is a 409 listing details.allowed' },
    ...linkProperties,
  },
} as const;
const commentBody = {
  type: 'object', required: ['body'], additionalProperties: false,
  properties: {
    body: { type: 'string', minLength: 1, maxLength: 20_000 }, visibility: { type: 'string', enum: [...VISIBILITIES], description: 'default public' },
    from: { type: 'string', enum: [...AUTHOR_KINDS], description: 'default agent (the caller); customer: relays the customer\'s words (public only)' },
  },
} as const;

type Filter = {
  status?: string; statusCategory?: string; category?: string; type?: string; assignee?: string; team?: string; customer?: string;
  breached?: 'true' | 'false'; updatedSince?: string; limit?: string; cursor?: string;
};
type IdParams = { id: string };

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};
const tenantOf = (req: FastifyRequest) => principalOf(req).tenantId;
const pageLimit = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export async function ticketRoutes(app: FastifyInstance, d: { tickets: Tickets }): Promise<void> {
  app.get<{ Querystring: Filter }>('/api/tickets', {
    config: requires('tickets.read'),
    schema: {
      tags, summary: 'Tickets, newest first (by number: a stable order); filters combine; pass nextCursor as cursor for the next page',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          status: { type: 'string', maxLength: 40 }, statusCategory: { type: 'string', enum: [...STATUS_CATEGORIES] }, category: { type: 'string', maxLength: 100 },
          type: { type: 'string', maxLength: 64, description: 'type id or key' }, assignee: { ...id, description: 'assigned user' }, team: { ...id, description: 'assigned team' },
          customer: id, breached: { type: 'string', enum: ['true', 'false'], description: 'an SLA target was missed' },
          updatedSince: { ...iso, description: 'changed at or after this ISO-8601 UTC time' }, limit, cursor: { type: 'string', maxLength: 200 },
        },
      },
      response: { 200: pageOf(ticketSchema) },
    },
  }, async (req) => {
    const q = req.query;
    const query: TicketQuery = {
      status: q.status, statusCategory: q.statusCategory, category: q.category, type: q.type, assigneeUserId: q.assignee, assigneeTeamId: q.team,
      customerId: q.customer, breached: q.breached === undefined ? undefined : q.breached === 'true', updatedSince: q.updatedSince,
      limit: pageLimit(q.limit), cursor: q.cursor,
    };
    return d.tickets.list(tenantOf(req), query);
  });

  app.post<{ Body: NewTicket; Headers: { 'idempotency-key'?: string } }>('/api/tickets', {
    config: requires('tickets.write'),
    schema: {
      tags, summary: 'Open a ticket. With an Idempotency-Key header the same key and body within 24 h answer the first answer again (Idempotent-Replayed: true); another body with the key is a 422',
      headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 } } },
      body: newTicketBody, response: { 201: ticketSchema },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (key === undefined) return reply.status(201).send(await d.tickets.create(tenantOf(req), req.body, actor(req)));
    const r = await d.tickets.createOnce(tenantOf(req), key, req.body, actor(req));
    if (r.replayed) void reply.header('Idempotent-Replayed', 'true');
    return reply.status(r.status).send(r.value);
  });

  app.get<{ Querystring: { from?: string; to?: string; metric?: SlaMetric; limit?: string; cursor?: string } }>('/api/tickets/sla-breaches', {
    config: requires('tickets.read'),
    schema: {
      tags, summary: 'Missed SLA targets by due time, oldest first (for reports)',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          from: { ...iso, description: 'due at or after' }, to: { ...iso, description: 'due before' }, metric: { type: 'string', enum: [...SLA_METRICS] }, limit,
          cursor: { type: 'string', maxLength: 400 },
        },
      },
      response: { 200: pageOf(breachSchema) },
    },
  }, async (req) => d.tickets.breaches(tenantOf(req), { ...req.query, limit: pageLimit(req.query.limit) }));

  app.get('/api/tickets/types', {
    config: requires('tickets.read'),
    schema: { tags, summary: 'Ticket types with their workflows, categories and custom fields (every workspace starts with inquiry, complaint, repair)', response: { 200: listOf(typeSchema) } },
  }, async (req) => ({ items: await d.tickets.types(tenantOf(req)) }));

  app.post<{ Body: TicketTypeInput }>('/api/tickets/types', {
    config: requires('tickets.manage'),
    schema: { tags, summary: 'Create a ticket type', body: typeBody, response: { 201: typeSchema } },
  }, async (req, reply) => reply.status(201).send(await d.tickets.createType(tenantOf(req), req.body, actor(req))));

  app.get<{ Params: IdParams }>('/api/tickets/types/:id', {
    config: requires('tickets.read'),
    schema: { tags, summary: 'One ticket type', params: idParams, response: { 200: typeSchema } },
  }, async (req) => d.tickets.type(tenantOf(req), req.params.id));

  app.put<{ Params: IdParams; Body: TicketTypeInput }>('/api/tickets/types/:id', {
    config: requires('tickets.manage'),
    schema: {
      tags, summary: 'Replace a ticket type; statuses that tickets are in must stay, in their category (409 otherwise)', params: idParams, body: typeBody,
      response: { 200: typeSchema },
    },
  }, async (req) => d.tickets.updateType(tenantOf(req), req.params.id, req.body, actor(req)));

  app.delete<{ Params: IdParams }>('/api/tickets/types/:id', {
    config: requires('tickets.manage'),
    schema: { tags, summary: 'Delete a ticket type no ticket uses', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => { await d.tickets.deleteType(tenantOf(req), req.params.id, actor(req)); return reply.status(204).send(); });

  app.get<{ Params: IdParams }>('/api/tickets/types/:id/sla-policies', {
    config: requires('tickets.read'),
    schema: { tags, summary: 'SLA policies of a ticket type, one per priority', params: idParams, response: { 200: listOf(policySchema) } },
  }, async (req) => ({ items: await d.tickets.policies(tenantOf(req), req.params.id) }));

  app.put<{ Params: IdParams; Body: { items: SlaPolicyInput[] } }>('/api/tickets/types/:id/sla-policies', {
    config: requires('tickets.manage'),
    schema: {
      tags, summary: 'Replace the SLA policies of a type: first-response and resolution targets in business minutes of a calendar, warning share, escalation. New tickets and priority changes take them',
      params: idParams,
      body: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', maxItems: PRIORITIES.length, items: policyBody } } },
      response: { 200: listOf(policySchema) },
    },
  }, async (req) => ({ items: await d.tickets.setPolicies(tenantOf(req), req.params.id, req.body.items, actor(req)) }));

  app.get<{ Params: IdParams }>('/api/tickets/:id', {
    config: requires('tickets.read'),
    schema: { tags, summary: 'One ticket with its SLA clocks', params: idParams, response: { 200: ticketSchema } },
  }, async (req) => d.tickets.get(tenantOf(req), req.params.id));

  app.patch<{ Params: IdParams; Body: TicketChanges }>('/api/tickets/:id', {
    config: requires('tickets.write'),
    schema: {
      tags, summary: 'Change a ticket: fields, status (along the workflow), assignment, links. Every change goes into its history',
      params: idParams, body: changesBody, response: { 200: ticketSchema },
    },
  }, async (req) => d.tickets.update(tenantOf(req), req.params.id, req.body, actor(req)));

  app.get<{ Params: IdParams }>('/api/tickets/:id/comments', {
    config: requires('tickets.read'),
    schema: { tags, summary: 'Comments (public) and internal notes, oldest first', params: idParams, response: { 200: listOf(commentSchema) } },
  }, async (req) => ({ items: await d.tickets.comments(tenantOf(req), req.params.id) }));

  app.post<{ Params: IdParams; Body: NewComment }>('/api/tickets/:id/comments', {
    config: requires('tickets.write'),
    schema: {
      tags, summary: 'Add a public comment or an internal note; the first public comment by an agent is the first response (SLA)',
      params: idParams, body: commentBody, response: { 201: commentSchema },
    },
  }, async (req, reply) => reply.status(201).send(await d.tickets.comment(tenantOf(req), req.params.id, req.body, actor(req))));

  app.get<{ Params: IdParams }>('/api/tickets/:id/attachments', {
    config: requires('tickets.read'),
    schema: { tags, summary: 'Attachments of a ticket', params: idParams, response: { 200: listOf(attachmentSchema) } },
  }, async (req) => ({ items: await d.tickets.attachments(tenantOf(req), req.params.id) }));

  await app.register(async (upload) => {
    // The body is the file's bytes whatever the Content-Type says: the type is sniffed from the content.
    const maxBytes = d.tickets.attachmentLimits.maxBytes;
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', (req, payload, done) => {
      if (Number(req.headers['content-length']) > maxBytes) {
        done(attachmentTooLarge(maxBytes), undefined);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      const finish = (err: Error | null, body?: Buffer) => {
        if (finished) return;
        finished = true;
        done(err, body);
      };
      payload.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) finish(attachmentTooLarge(maxBytes));
        else if (!finished) chunks.push(chunk);
      });
      payload.on('end', () => finish(null, Buffer.concat(chunks)));
      payload.on('error', (err) => finish(err));
    });
    upload.post<{ Params: IdParams; Querystring: { name?: string }; Body: Buffer | undefined }>('/api/tickets/:id/attachments', {
      config: requires('tickets.write'),
      bodyLimit: maxBytes,
      schema: {
        tags, summary: `Upload an attachment: the body is the file (any Content-Type; the type is sniffed from the content), name= its file name. At most ${maxBytes} bytes (413); types not accepted are a 415`,
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 255, description: 'the file name (sanitized); default attachment' } } },
        response: { 201: attachmentSchema },
      },
    }, async (req, reply) => {
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return reply.status(201).send(await d.tickets.attach(tenantOf(req), req.params.id, req.query.name ?? 'attachment', bytes, actor(req)));
    });
  });

  app.get<{ Params: IdParams & { attachmentId: string } }>('/api/tickets/:id/attachments/:attachmentId', {
    config: requires('tickets.read'),
    schema: {
      tags, summary: 'Download an attachment (served as its sniffed type, as an attachment)',
      params: { type: 'object', required: ['id', 'attachmentId'], additionalProperties: false, properties: { id, attachmentId: id } },
      response: { 200: { type: 'string', format: 'binary' } },
    },
  }, async (req, reply) => {
    const { attachment, bytes } = await d.tickets.download(tenantOf(req), req.params.id, req.params.attachmentId);
    const type = attachment.mime === 'text/plain' ? 'text/plain; charset=utf-8' : attachment.mime;
    return reply.type(type).header('Content-Disposition', contentDisposition(attachment.name)).send(bytes);
  });

  const watcherParams = { type: 'object', required: ['id', 'userId'], additionalProperties: false, properties: { id, userId: id } } as const;
  app.put<{ Params: IdParams & { userId: string } }>('/api/tickets/:id/watchers/:userId', {
    config: requires('tickets.write'),
    schema: { tags, summary: 'Add a watcher (a user of the workspace)', params: watcherParams, response: { 200: ticketSchema } },
  }, async (req) => d.tickets.watch(tenantOf(req), req.params.id, req.params.userId, actor(req)));

  app.delete<{ Params: IdParams & { userId: string } }>('/api/tickets/:id/watchers/:userId', {
    config: requires('tickets.write'),
    schema: { tags, summary: 'Remove a watcher', params: watcherParams, response: { 200: ticketSchema } },
  }, async (req) => d.tickets.unwatch(tenantOf(req), req.params.id, req.params.userId, actor(req)));

  app.get<{ Params: IdParams }>('/api/tickets/:id/history', {
    config: requires('tickets.read'),
    schema: { tags, summary: 'Every change of the ticket in order: who, when, which field, from what to what', params: idParams, response: { 200: listOf(historySchema) } },
  }, async (req) => ({ items: await d.tickets.history(tenantOf(req), req.params.id) }));
}
