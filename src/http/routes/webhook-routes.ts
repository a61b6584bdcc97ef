// Outbound webhooks: subscriptions (the secret is in the answer to create and rotate only), the
// delivery log per subscription, redelivery and a test ping. Admins only (integrations.manage).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  DELIVERY_STATUSES, MAX_DELIVERY_PAGE, WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES, type DeliveryQuery, type NewSubscription, type SubscriptionChanges, type Webhooks,
} from '../../webhooks/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { idParams, listOf } from '../schemas.ts';

const eventSchema = { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] } as const;

const subscriptionProperties = {
  id: { type: 'string' }, url: { type: 'string' }, description: { type: ['string', 'null'] }, events: { type: 'array', items: eventSchema },
  active: { type: 'boolean' }, allowPrivateNetwork: { type: 'boolean' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
} as const;
const subscriptionRequired = ['id', 'url', 'description', 'events', 'active', 'allowPrivateNetwork', 'createdAt', 'updatedAt'] as const;
const subscriptionSchema = { type: 'object', required: subscriptionRequired, properties: subscriptionProperties } as const;
const withSecretSchema = {
  type: 'object', required: [...subscriptionRequired, 'secret'],
  properties: { ...subscriptionProperties, secret: { type: 'string', description: 'shown this once: keep it to verify Switchboard-Signature' } },
} as const;

const deliveryProperties = {
  id: { type: 'string', description: 'sent as Switchboard-Delivery' }, subscriptionId: { type: 'string' },
  eventId: { type: 'string', description: 'the body\'s id; the same in a redelivery' }, eventType: { type: 'string' },
  status: { type: 'string', enum: [...DELIVERY_STATUSES] }, attempts: { type: 'integer' }, nextAttemptAt: { type: ['string', 'null'] },
  lastAttemptAt: { type: ['string', 'null'] }, lastStatusCode: { type: ['integer', 'null'] }, lastError: { type: ['string', 'null'] },
  deliveredAt: { type: ['string', 'null'] }, createdAt: { type: 'string' },
} as const;
const deliveryRequired = Object.keys(deliveryProperties);
const deliverySchema = { type: 'object', required: deliveryRequired, properties: deliveryProperties } as const;
const deliveryWithPayloadSchema = {
  type: 'object', required: [...deliveryRequired, 'payload'],
  properties: { ...deliveryProperties, payload: { type: 'object', additionalProperties: true, description: 'the body sent: { id, type, tenantId, occurredAt, data }' } },
} as const;

const url = { type: 'string', minLength: 1, maxLength: 2048, description: 'http or https; loopback and private addresses need allowPrivateNetwork' } as const;
const events = { type: 'array', minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, items: eventSchema } as const;
const description = { type: ['string', 'null'], maxLength: 200 } as const;
const newBody = {
  type: 'object', required: ['url', 'events'], additionalProperties: false,
  properties: { url, events, description, active: { type: 'boolean' }, allowPrivateNetwork: { type: 'boolean' } },
} as const;
const changesBody = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { url, events, description, active: { type: 'boolean' }, allowPrivateNetwork: { type: 'boolean' } },
} as const;
const deliveryQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...DELIVERY_STATUSES] }, cursor: { type: 'string', minLength: 1, maxLength: 200 },
    limit: { type: 'string', pattern: '^[0-9]{1,3}$', description: `1 to ${MAX_DELIVERY_PAGE}` },
  },
} as const;

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};
const tenantOf = (req: FastifyRequest) => principalOf(req).tenantId;
const manage = requires('integrations.manage');

export async function webhookRoutes(app: FastifyInstance, d: { webhooks: Webhooks }): Promise<void> {
  app.get('/api/webhooks/events', {
    config: manage,
    schema: {
      tags: ['webhooks'], summary: 'The events a webhook can carry',
      response: { 200: listOf({ type: 'object', required: ['type', 'description'], properties: { type: { type: 'string' }, description: { type: 'string' } } }) },
    },
  }, async () => ({ items: Object.entries(WEBHOOK_EVENTS).map(([type, text]) => ({ type, description: text })) }));

  app.get('/api/webhooks', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'Webhook subscriptions (secrets are never shown)', response: { 200: listOf(subscriptionSchema) } },
  }, async (req) => ({ items: await d.webhooks.list(tenantOf(req)) }));

  app.post<{ Body: NewSubscription }>('/api/webhooks', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'Subscribe a URL to events; the answer holds the signing secret, shown this once', body: newBody, response: { 201: withSecretSchema } },
  }, async (req, reply) => reply.status(201).send(await d.webhooks.create(tenantOf(req), req.body, actor(req))));

  app.get<{ Params: { id: string } }>('/api/webhooks/:id', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'A webhook subscription', params: idParams, response: { 200: subscriptionSchema } },
  }, async (req) => d.webhooks.get(tenantOf(req), req.params.id));

  app.patch<{ Params: { id: string }; Body: SubscriptionChanges }>('/api/webhooks/:id', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'Change a subscription (URL, events, description, active, private network)', params: idParams, body: changesBody, response: { 200: subscriptionSchema } },
  }, async (req) => d.webhooks.update(tenantOf(req), req.params.id, req.body, actor(req)));

  app.delete<{ Params: { id: string } }>('/api/webhooks/:id', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'Delete a subscription and its delivery log', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.webhooks.remove(tenantOf(req), req.params.id, actor(req));
    return reply.status(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/webhooks/:id/secret', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'Replace the signing secret; the new one is shown this once and signs from the next attempt', params: idParams, response: { 200: withSecretSchema } },
  }, async (req) => d.webhooks.rotateSecret(tenantOf(req), req.params.id, actor(req)));

  app.post<{ Params: { id: string } }>('/api/webhooks/:id/ping', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'Queue a test delivery (WebhookPing); its outcome shows in the delivery log', params: idParams, response: { 202: deliverySchema } },
  }, async (req, reply) => reply.status(202).send(await d.webhooks.ping(tenantOf(req), req.params.id, actor(req))));

  app.get<{ Params: { id: string }; Querystring: { status?: DeliveryQuery['status']; cursor?: string; limit?: string } }>('/api/webhooks/:id/deliveries', {
    config: manage,
    schema: {
      tags: ['webhooks'], summary: 'The subscription\'s deliveries, newest first: status, attempts, last answer or error, next attempt', params: idParams, querystring: deliveryQuery,
      response: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: deliverySchema }, nextCursor: { type: ['string', 'null'] } } } },
    },
  }, async (req) => d.webhooks.deliveries(tenantOf(req), req.params.id, {
    status: req.query.status, cursor: req.query.cursor, limit: req.query.limit === undefined ? undefined : Number(req.query.limit),
  }));

  app.get<{ Params: { id: string } }>('/api/webhooks/deliveries/:id', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'One delivery with the body it sends', params: idParams, response: { 200: deliveryWithPayloadSchema } },
  }, async (req) => d.webhooks.delivery(tenantOf(req), req.params.id));

  app.post<{ Params: { id: string } }>('/api/webhooks/deliveries/:id/redeliver', {
    config: manage,
    schema: { tags: ['webhooks'], summary: 'Send a delivery\'s event again (a new delivery id, the same event id and body)', params: idParams, response: { 202: deliverySchema } },
  }, async (req, reply) => reply.status(202).send(await d.webhooks.redeliver(tenantOf(req), req.params.id, actor(req))));
}
