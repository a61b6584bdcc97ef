// The external customer lookup: the agent desktop's screen pop asks the company's own system about
// a caller; admins configure the endpoint (header values such as API keys are never shown) and test it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LOOKUP_FAILURES, LOOKUP_LIMITS, type CustomerLookup, type LookupConfigInput, type LookupQuery } from '../../integrations/index.ts';
import { notFound } from '../../kernel/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';

const lookupQueryProperties = {
  phone: { type: 'string', minLength: 1, maxLength: 32, description: 'as the caller presented it, e.g. +8613800138000' },
  email: { type: 'string', minLength: 1, maxLength: 254 },
} as const;

const resultProperties = {
  ok: { type: 'boolean' },
  data: { description: 'what the company\'s system answered (JSON), when ok' },
  cached: { type: 'boolean', description: 'answered from the cache, when ok' },
  reason: { type: 'string', enum: [...LOOKUP_FAILURES], description: 'why there is no data, when not ok' },
} as const;
const resultSchema = { type: 'object', required: ['ok'], properties: resultProperties } as const;

const configSchema = {
  type: 'object',
  required: ['urlTemplate', 'headerNames', 'timeoutMs', 'cacheTtlSeconds', 'notFoundTtlSeconds', 'allowPrivateNetwork', 'updatedAt'],
  properties: {
    urlTemplate: { type: 'string' }, headerNames: { type: 'array', items: { type: 'string' }, description: 'the values are never shown' },
    timeoutMs: { type: 'integer' }, cacheTtlSeconds: { type: 'integer' }, notFoundTtlSeconds: { type: 'integer' }, allowPrivateNetwork: { type: 'boolean' },
    updatedAt: { type: 'string' },
  },
} as const;

const range = (l: { min: number; max: number }) => ({ type: 'integer', minimum: l.min, maximum: l.max }) as const;
const configBody = {
  type: 'object', required: ['urlTemplate'], additionalProperties: false,
  properties: {
    urlTemplate: { type: 'string', minLength: 1, maxLength: 2048, description: 'http(s) URL; {{phone}} and {{email}} in the path or query, e.g. https://crm.example.com/api/customers?phone={{phone}}' },
    headers: {
      type: 'object', maxProperties: LOOKUP_LIMITS.headers, additionalProperties: { type: 'string', maxLength: 4096 },
      description: 'sent with every lookup (an API key); left out keeps the stored ones, {} removes them',
    },
    timeoutMs: range(LOOKUP_LIMITS.timeoutMs), cacheTtlSeconds: range(LOOKUP_LIMITS.cacheTtlSeconds), notFoundTtlSeconds: range(LOOKUP_LIMITS.notFoundTtlSeconds),
    allowPrivateNetwork: { type: 'boolean' },
  },
} as const;

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};

export async function integrationRoutes(app: FastifyInstance, d: { lookup: CustomerLookup }): Promise<void> {
  app.get<{ Querystring: LookupQuery }>('/api/integrations/customer-lookup', {
    config: requires('customers.read'),
    schema: {
      tags: ['integrations'], summary: 'Ask the company\'s own system about a caller (screen pop); a failure answers 200 with its reason',
      querystring: { type: 'object', additionalProperties: false, minProperties: 1, properties: lookupQueryProperties },
      response: { 200: resultSchema },
    },
  }, async (req) => d.lookup.lookupCustomer(principalOf(req).tenantId, req.query));

  app.get('/api/integrations/lookup', {
    config: requires('integrations.manage'),
    schema: { tags: ['integrations'], summary: 'The customer lookup\'s configuration (header values are never shown)', response: { 200: configSchema } },
  }, async (req) => {
    const config = await d.lookup.config(principalOf(req).tenantId);
    if (!config) throw notFound('customer lookup');
    return config;
  });

  app.put<{ Body: LookupConfigInput }>('/api/integrations/lookup', {
    config: requires('integrations.manage'),
    schema: { tags: ['integrations'], summary: 'Configure the customer lookup', body: configBody, response: { 200: configSchema } },
  }, async (req) => d.lookup.configure(principalOf(req).tenantId, req.body, actor(req)));

  app.delete('/api/integrations/lookup', {
    config: requires('integrations.manage'),
    schema: { tags: ['integrations'], summary: 'Remove the customer lookup', response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.lookup.remove(principalOf(req).tenantId, actor(req));
    return reply.status(204).send();
  });

  app.post<{ Body: LookupQuery }>('/api/integrations/lookup/test', {
    config: requires('integrations.manage'),
    schema: {
      tags: ['integrations'], summary: 'Try the saved configuration now (no cache); `detail` says what was answered',
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: lookupQueryProperties },
      response: { 200: { type: 'object', required: ['ok', 'detail'], properties: { ...resultProperties, detail: { type: 'string' } } } },
    },
  }, async (req) => d.lookup.test(principalOf(req).tenantId, req.body));
}
