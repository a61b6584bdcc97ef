// Customers: profiles, identities and lookup (screen pop), notes, timeline, merge and undo, duplicate
// suggestions, CSV import/export, erasure and legal hold, custom field definitions.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  FIELD_TYPES, IDENTITY_KINDS, MAX_PAGE, type CustomerChanges, type CustomerQuery, type Customers, type FieldDefinitionInput, type IdentityInput,
  type IdentityKind, type NewCustomer,
} from '../../crm/index.ts';
import { DomainError } from '../../kernel/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { id, idParams, listOf } from '../schemas.ts';

/** CSV files are larger than API bodies; this is the import's own limit. */
export const CSV_IMPORT_LIMIT_BYTES = 10 * 1024 * 1024;

const nullableText = (max: number) => ({ type: ['string', 'null'], maxLength: max }) as const;
const consentView = { type: 'object', required: ['given', 'at'], properties: { given: { type: ['boolean', 'null'] }, at: { type: ['string', 'null'] } } } as const;
const identitySchema = {
  type: 'object',
  required: ['id', 'kind', 'value', 'original', 'createdAt'],
  properties: { id: { type: 'string' }, kind: { type: 'string', enum: [...IDENTITY_KINDS] }, value: { type: 'string' }, original: { type: 'string' }, createdAt: { type: 'string' } },
} as const;

const customerSchema = {
  type: 'object',
  required: ['id', 'name', 'company', 'language', 'timeZone', 'tags', 'fields', 'consent', 'identities', 'legalHold', 'mergedInto', 'erasedAt', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' }, name: { type: ['string', 'null'] }, company: { type: ['string', 'null'] }, language: { type: ['string', 'null'] }, timeZone: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    fields: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    consent: { type: 'object', required: ['recording', 'marketing'], properties: { recording: consentView, marketing: consentView } },
    identities: { type: 'array', items: identitySchema },
    legalHold: { anyOf: [{ type: 'null' }, { type: 'object', required: ['reason', 'since'], properties: { reason: { type: 'string' }, since: { type: 'string' } } }] },
    mergedInto: { type: ['string', 'null'], description: 'set when merged into another customer: follow it' },
    erasedAt: { type: ['string', 'null'], description: 'set on the tombstone of an erased customer' },
    createdAt: { type: 'string' }, updatedAt: { type: 'string' },
  },
} as const;

const identityBody = {
  type: 'object', required: ['kind', 'value'], additionalProperties: false,
  properties: { kind: { type: 'string', enum: [...IDENTITY_KINDS] }, value: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

const profileProperties = {
  name: nullableText(200), company: nullableText(200),
  language: { type: ['string', 'null'], maxLength: 35, description: 'BCP 47, e.g. en, zh-CN, zh-TW' },
  timeZone: { type: ['string', 'null'], maxLength: 64, description: 'IANA, e.g. Asia/Shanghai' },
  tags: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 64 } },
  fields: {
    type: 'object', maxProperties: 100, additionalProperties: { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'number' }, { type: 'null' }] },
    description: 'custom field key -> value; null clears',
  },
  consent: {
    type: 'object', additionalProperties: false,
    properties: { recording: { type: ['boolean', 'null'] }, marketing: { type: ['boolean', 'null'] } },
  },
} as const;

const newCustomerBody = {
  type: 'object', additionalProperties: false,
  properties: { ...profileProperties, identities: { type: 'array', maxItems: 50, items: identityBody } },
} as const;

const changesBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: profileProperties } as const;

const iso = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$' } as const;
const limit = { type: 'string', pattern: '^[0-9]{1,3}$', description: `1 to ${MAX_PAGE}` } as const;
const filterProperties = {
  q: { type: 'string', minLength: 1, maxLength: 200, description: 'prefix of the name, the company or an identity (a phone as typed)' },
  tag: { type: 'string', minLength: 1, maxLength: 64 },
  updatedSince: { ...iso, description: 'changed at or after this ISO-8601 UTC time' },
} as const;

const pageOf = (item: object) => ({
  type: 'object', required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
}) as const;

const timelineEntry = {
  type: 'object', required: ['at', 'kind', 'id', 'summary'],
  properties: {
    at: { type: 'string' }, kind: { type: 'string' }, id: { type: 'string' }, summary: { type: 'string' }, channel: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
  },
} as const;

const noteSchema = {
  type: 'object', required: ['id', 'customerId', 'authorId', 'authorName', 'body', 'at'],
  properties: { id: { type: 'string' }, customerId: { type: 'string' }, authorId: { type: ['string', 'null'] }, authorName: { type: 'string' }, body: { type: 'string' }, at: { type: 'string' } },
} as const;

const fieldSchema = {
  type: 'object', required: ['key', 'label', 'type', 'options', 'required'],
  properties: {
    key: { type: 'string' }, label: { type: 'string' }, type: { type: 'string', enum: [...FIELD_TYPES] }, options: { type: 'array', items: { type: 'string' } }, required: { type: 'boolean' },
  },
} as const;

const fieldBody = {
  type: 'object', required: ['key', 'label', 'type'], additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' }, label: { type: 'string', minLength: 1, maxLength: 100 },
    type: { type: 'string', enum: [...FIELD_TYPES] }, options: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 } },
    required: { type: 'boolean' },
  },
} as const;

const settingsSchema = { type: 'object', required: ['defaultRegion'], properties: { defaultRegion: { type: ['string', 'null'] } } } as const;

const importReport = {
  type: 'object', required: ['rows', 'created', 'updated', 'rejected'],
  properties: {
    created: { type: 'integer' }, updated: { type: 'integer' }, rejected: { type: 'integer' },
    rows: {
      type: 'array',
      items: {
        type: 'object', required: ['row', 'outcome'],
        properties: { row: { type: 'integer' }, outcome: { type: 'string', enum: ['created', 'updated', 'rejected'] }, customerId: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const;

const duplicateSchema = {
  type: 'object', required: ['customers', 'reasons'],
  properties: {
    customers: {
      type: 'array',
      items: { type: 'object', required: ['id', 'name', 'company'], properties: { id: { type: 'string' }, name: { type: ['string', 'null'] }, company: { type: ['string', 'null'] } } },
    },
    reasons: { type: 'array', items: { type: 'string', enum: ['phone_last_digits', 'email_mailbox', 'name_company'] } },
  },
} as const;

type Filter = { q?: string; tag?: string; updatedSince?: string };
type IdParams = { id: string };

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};
const tenantOf = (req: FastifyRequest) => principalOf(req).tenantId;
const pageLimit = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** The identity a lookup names: `phone=`, `email=` or `kind=` with `value=`, exactly one of them. */
function lookupIdentity(q: { phone?: string; email?: string; kind?: IdentityKind; value?: string }): IdentityInput {
  const given = [q.phone !== undefined, q.email !== undefined, q.kind !== undefined || q.value !== undefined].filter(Boolean).length;
  if (given !== 1) throw new DomainError('SB_VALIDATION', 400, 'querystring needs exactly one of phone, email, or kind with value', { field: 'querystring', location: 'querystring' });
  if (q.phone !== undefined) return { kind: 'phone', value: q.phone };
  if (q.email !== undefined) return { kind: 'email', value: q.email };
  if (q.kind === undefined || q.value === undefined) throw new DomainError('SB_VALIDATION', 400, 'querystring needs both kind and value', { field: q.kind === undefined ? 'kind' : 'value', location: 'querystring' });
  return { kind: q.kind, value: q.value };
}

export async function crmRoutes(app: FastifyInstance, d: { customers: Customers }): Promise<void> {
  const tags = ['customers'];

  app.get<{ Querystring: Filter & { limit?: string; cursor?: string } }>('/api/customers', {
    config: requires('customers.read'),
    schema: {
      tags, summary: 'Customers, newest first (created, then id, descending: a stable order); pass nextCursor as cursor for the next page',
      querystring: { type: 'object', additionalProperties: false, properties: { ...filterProperties, limit, cursor: { type: 'string', maxLength: 200 } } },
      response: { 200: pageOf(customerSchema) },
    },
  }, async (req) => {
    const q: CustomerQuery = { q: req.query.q, tag: req.query.tag, updatedSince: req.query.updatedSince, limit: pageLimit(req.query.limit), cursor: req.query.cursor };
    return d.customers.list(tenantOf(req), q);
  });

  app.post<{ Body: NewCustomer; Headers: { 'idempotency-key'?: string } }>('/api/customers', {
    config: requires('customers.write'),
    schema: {
      tags, summary: 'Create a customer. With an Idempotency-Key header the same key and body within 24 h answer the first answer again (Idempotent-Replayed: true); another body with the key is a 422',
      headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 } } },
      body: newCustomerBody, response: { 201: customerSchema },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (key === undefined) return reply.status(201).send(await d.customers.create(tenantOf(req), req.body, actor(req)));
    const r = await d.customers.createOnce(tenantOf(req), key, req.body, actor(req));
    if (r.replayed) void reply.header('Idempotent-Replayed', 'true');
    return reply.status(r.status).send(r.customer);
  });

  app.get<{ Querystring: { phone?: string; email?: string; kind?: IdentityKind; value?: string } }>('/api/customers/lookup', {
    config: requires('customers.read'),
    schema: {
      tags, summary: 'The customer owning an identity (screen pop): phone= (any format, SIP/tel URIs too), email=, or kind= with value=; 404 when none',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          phone: { type: 'string', minLength: 1, maxLength: 256 }, email: { type: 'string', minLength: 1, maxLength: 256 },
          kind: { type: 'string', enum: [...IDENTITY_KINDS] }, value: { type: 'string', minLength: 1, maxLength: 256 },
        },
      },
      response: { 200: customerSchema },
    },
  }, async (req) => d.customers.lookup(tenantOf(req), lookupIdentity(req.query)));

  app.get<{ Querystring: { limit?: string } }>('/api/customers/duplicates', {
    config: requires('customers.read'),
    schema: {
      tags, summary: 'Pairs of customers that may be one person: phones with the same last 8 national digits, one mailbox (ignoring a +sub-address), or the same name and company',
      querystring: { type: 'object', additionalProperties: false, properties: { limit } },
      response: { 200: listOf(duplicateSchema) },
    },
  }, async (req) => ({ items: await d.customers.duplicates(tenantOf(req), { limit: pageLimit(req.query.limit) }) }));

  app.get<{ Querystring: Filter }>('/api/customers/export', {
    config: requires('customers.import'),
    schema: {
      tags, summary: 'Customers (all, or filtered) as CSV with a header row, UTF-8 with a byte order mark',
      querystring: { type: 'object', additionalProperties: false, properties: filterProperties },
      response: { 200: { type: 'string', description: 'text/csv' } },
    },
  }, async (req, reply) => {
    const csv = await d.customers.exportCsv(tenantOf(req), { q: req.query.q, tag: req.query.tag, updatedSince: req.query.updatedSince }, actor(req));
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="customers.csv"').send(csv);
  });

  await app.register(async (csv) => {
    csv.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_IMPORT_LIMIT_BYTES }, (_req, body, done) => done(null, body));
    csv.post<{ Body: string | { csv: string } }>('/api/customers/import', {
      config: requires('customers.import'),
      bodyLimit: CSV_IMPORT_LIMIT_BYTES,
      schema: {
        tags, summary: 'Import customers from CSV (Content-Type: text/csv, or JSON { csv }): rows matching an id or identity update, others create; each row is reported',
        body: {
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/json': { schema: { type: 'object', required: ['csv'], additionalProperties: false, properties: { csv: { type: 'string' } } } },
          },
        },
        response: { 200: importReport },
      },
    }, async (req) => d.customers.importCsv(tenantOf(req), typeof req.body === 'string' ? req.body : req.body.csv, actor(req)));
  });

  app.post<{ Params: { mergeId: string } }>('/api/customers/merges/:mergeId/undo', {
    config: requires('customers.merge'),
    schema: {
      tags, summary: 'Undo a merge: what moved goes back to the merged customer',
      params: { type: 'object', required: ['mergeId'], additionalProperties: false, properties: { mergeId: id } },
      response: { 200: { type: 'object', required: ['survivor', 'restored'], properties: { survivor: customerSchema, restored: customerSchema } } },
    },
  }, async (req) => d.customers.unmerge(tenantOf(req), req.params.mergeId, actor(req)));

  app.get<{ Params: IdParams }>('/api/customers/:id', {
    config: requires('customers.read'),
    schema: { tags, summary: 'One customer (a merged one says mergedInto; an erased one is a tombstone)', params: idParams, response: { 200: customerSchema } },
  }, async (req) => d.customers.get(tenantOf(req), req.params.id));

  app.patch<{ Params: IdParams; Body: CustomerChanges }>('/api/customers/:id', {
    config: requires('customers.write'),
    schema: { tags, summary: 'Change a customer\'s profile (tags replace the set; fields set to null are cleared)', params: idParams, body: changesBody, response: { 200: customerSchema } },
  }, async (req) => d.customers.update(tenantOf(req), req.params.id, req.body, actor(req)));

  app.delete<{ Params: IdParams; Body: { reason: string } }>('/api/customers/:id', {
    config: requires('customers.erase'),
    schema: {
      tags, summary: 'Erase a customer\'s personal data (and of the customers merged into it); a legal hold blocks it (409). Answers the tombstone',
      params: idParams,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } },
      response: { 200: customerSchema },
    },
  }, async (req) => d.customers.erase(tenantOf(req), req.params.id, req.body.reason, actor(req)));

  app.post<{ Params: IdParams; Body: IdentityInput }>('/api/customers/:id/identities', {
    config: requires('customers.write'),
    schema: { tags, summary: 'Add an identity (phone, email, channel id); one owned by another customer is a 409 naming it', params: idParams, body: identityBody, response: { 201: customerSchema } },
  }, async (req, reply) => reply.status(201).send(await d.customers.addIdentity(tenantOf(req), req.params.id, req.body, actor(req))));

  app.delete<{ Params: IdParams & { identityId: string } }>('/api/customers/:id/identities/:identityId', {
    config: requires('customers.write'),
    schema: {
      tags, summary: 'Remove an identity; its value is free for another customer',
      params: { type: 'object', required: ['id', 'identityId'], additionalProperties: false, properties: { id, identityId: id } },
      response: { 200: customerSchema },
    },
  }, async (req) => d.customers.removeIdentity(tenantOf(req), req.params.id, req.params.identityId, actor(req)));

  app.post<{ Params: IdParams; Body: { body: string } }>('/api/customers/:id/notes', {
    config: requires('customers.write'),
    schema: {
      tags, summary: 'Add a note to the customer\'s timeline', params: idParams,
      body: { type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'string', minLength: 1, maxLength: 10_000 } } },
      response: { 201: noteSchema },
    },
  }, async (req, reply) => reply.status(201).send(await d.customers.addNote(tenantOf(req), req.params.id, req.body.body, actor(req))));

  app.get<{ Params: IdParams; Querystring: { before?: string; limit?: string } }>('/api/customers/:id/timeline', {
    config: requires('customers.read'),
    schema: {
      tags, summary: 'Everything about the customer (notes, interactions, tickets, ...), newest first, over every id merged into it; pass nextCursor as before',
      params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { before: { type: 'string', maxLength: 40 }, limit } },
      response: { 200: pageOf(timelineEntry) },
    },
  }, async (req) => d.customers.timeline(tenantOf(req), req.params.id, { before: req.query.before, limit: pageLimit(req.query.limit) }));

  app.post<{ Params: IdParams; Body: { customerId: string } }>('/api/customers/:id/merge', {
    config: requires('customers.merge'),
    schema: {
      tags, summary: 'Merge another customer into this one: its identities, notes, tags and fields move here (this one\'s values win unless empty); undo with the mergeId',
      params: idParams,
      body: { type: 'object', required: ['customerId'], additionalProperties: false, properties: { customerId: { ...id, description: 'the customer merged into this one' } } },
      response: { 200: { type: 'object', required: ['mergeId', 'survivor'], properties: { mergeId: { type: 'string' }, survivor: customerSchema } } },
    },
  }, async (req) => d.customers.merge(tenantOf(req), req.params.id, req.body.customerId, actor(req)));

  app.put<{ Params: IdParams; Body: { reason: string | null } }>('/api/customers/:id/legal-hold', {
    config: requires('customers.erase'),
    schema: {
      tags, summary: 'Place (reason) or lift (null) a legal hold; a held customer cannot be erased', params: idParams,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: ['string', 'null'], minLength: 1, maxLength: 500 } } },
      response: { 200: customerSchema },
    },
  }, async (req) => d.customers.setLegalHold(tenantOf(req), req.params.id, req.body.reason, actor(req)));

  app.get('/api/crm/fields', {
    config: requires('customers.read'),
    schema: { tags, summary: 'Custom customer fields of the workspace', response: { 200: listOf(fieldSchema) } },
  }, async (req) => ({ items: await d.customers.fields(tenantOf(req)) }));

  app.put<{ Body: { items: FieldDefinitionInput[] } }>('/api/crm/fields', {
    config: requires('customers.import'),
    schema: {
      tags, summary: 'Replace the custom customer fields (text, number, date YYYY-MM-DD, select with options); values are checked when written',
      body: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', maxItems: 100, items: fieldBody } } },
      response: { 200: listOf(fieldSchema) },
    },
  }, async (req) => ({ items: await d.customers.defineFields(tenantOf(req), req.body.items, actor(req)) }));

  app.get('/api/crm/settings', {
    config: requires('customers.read'),
    schema: { tags, summary: 'Customer settings: the default region for national-format phone numbers', response: { 200: settingsSchema } },
  }, async (req) => d.customers.settings(tenantOf(req)));

  app.put<{ Body: { defaultRegion: string | null } }>('/api/crm/settings', {
    config: requires('customers.import'),
    schema: {
      tags, summary: 'Set the default region (ISO 3166-1 alpha-2, e.g. CN) for national-format phone numbers; null rejects them',
      body: { type: 'object', required: ['defaultRegion'], additionalProperties: false, properties: { defaultRegion: { type: ['string', 'null'], pattern: '^[A-Za-z]{2}$' } } },
      response: { 200: settingsSchema },
    },
  }, async (req) => d.customers.updateSettings(tenantOf(req), { defaultRegion: req.body.defaultRegion }, actor(req)));
}
