// Phone endpoints (SIP credentials) and the SIP domains of the workspace.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Phones, Trunks } from '../../voice/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { id, idParams, listOf } from '../schemas.ts';

const phoneSchema = {
  type: 'object',
  required: ['id', 'username', 'displayName', 'userId', 'createdAt'],
  properties: { id: { type: 'string' }, username: { type: 'string' }, displayName: { type: 'string' }, userId: { type: ['string', 'null'] }, createdAt: { type: 'string' } },
} as const;

// A SIP password is typed into phones; 12+ characters resists offline guessing of a captured digest.
const sipPassword = { type: 'string', minLength: 12, maxLength: 128 } as const;

const newPhoneBody = {
  type: 'object',
  required: ['username', 'displayName', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' },
    displayName: { type: 'string', minLength: 1, maxLength: 128 },
    password: sipPassword,
    userId: { anyOf: [id, { type: 'null' }] },
  },
} as const;

const domainBody = {
  type: 'object', required: ['domain'], additionalProperties: false,
  properties: { domain: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$' } },
} as const;

const actor = (req: FastifyRequest) => {
  const p = principalOf(req);
  return { userId: p.userId, name: p.name, ip: req.ip };
};

const trunkSchema = {
  type: 'object',
  required: ['id', 'name', 'host', 'port', 'transport', 'realm', 'username', 'callerId', 'createdAt'],
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, host: { type: 'string' }, port: { type: 'integer' }, transport: { type: 'string', enum: ['udp', 'tcp'] },
    realm: { type: 'string' }, username: { type: ['string', 'null'] }, callerId: { type: ['string', 'null'] }, createdAt: { type: 'string' },
  },
} as const;

const newTrunkBody = {
  type: 'object',
  required: ['name', 'host'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    transport: { type: 'string', enum: ['udp', 'tcp'] },
    realm: { type: ['string', 'null'], minLength: 1, maxLength: 253 },
    username: { type: ['string', 'null'], minLength: 1, maxLength: 128 },
    password: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
    callerId: { type: ['string', 'null'], minLength: 1, maxLength: 32, pattern: '^\\+?[0-9A-Za-z._-]+$' },
  },
} as const;

type NewTrunkBody = { name: string; host: string; port?: number; transport?: 'udp' | 'tcp'; realm?: string | null; username?: string | null; password?: string | null; callerId?: string | null };

export async function phoneRoutes(app: FastifyInstance, d: { phones: Phones; trunks: Trunks }): Promise<void> {
  app.get('/api/trunks', {
    config: requires('trunks.manage'),
    schema: { tags: ['phones'], summary: 'SIP trunks to carriers (passwords are never shown)', response: { 200: listOf(trunkSchema) } },
  }, async (req) => ({ items: await d.trunks.list(principalOf(req).tenantId) }));

  app.post<{ Body: NewTrunkBody }>('/api/trunks', {
    config: requires('trunks.manage'),
    schema: { tags: ['phones'], summary: 'Add a SIP trunk; numbers that are not extensions are dialled out through the first one', body: newTrunkBody, response: { 201: trunkSchema } },
  }, async (req, reply) => reply.status(201).send(await d.trunks.create(principalOf(req).tenantId, req.body, actor(req))));

  app.delete<{ Params: { id: string } }>('/api/trunks/:id', {
    config: requires('trunks.manage'),
    schema: { tags: ['phones'], summary: 'Delete a SIP trunk', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.trunks.remove(principalOf(req).tenantId, req.params.id, actor(req));
    return reply.status(204).send();
  });

  app.get('/api/phones', {
    config: requires('phones.read'),
    schema: { tags: ['phones'], summary: 'Phone endpoints (SIP accounts) of the workspace', response: { 200: listOf(phoneSchema) } },
  }, async (req) => ({ items: await d.phones.list(principalOf(req).tenantId) }));

  app.post<{ Body: { username: string; displayName: string; password: string; userId?: string | null } }>('/api/phones', {
    config: requires('phones.manage'),
    schema: { tags: ['phones'], summary: 'Create a phone endpoint; only digest hashes of its password are kept', body: newPhoneBody, response: { 201: phoneSchema } },
  }, async (req, reply) => reply.status(201).send(await d.phones.create(principalOf(req).tenantId, req.body, actor(req))));

  app.put<{ Params: { id: string }; Body: { password: string } }>('/api/phones/:id/password', {
    config: requires('phones.manage'),
    schema: {
      tags: ['phones'], summary: 'Set a phone endpoint\'s SIP password', params: idParams,
      body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password: sipPassword } }, response: { 204: { type: 'null' } },
    },
  }, async (req, reply) => {
    await d.phones.setPassword(principalOf(req).tenantId, req.params.id, req.body.password, actor(req));
    return reply.status(204).send();
  });

  app.delete<{ Params: { id: string } }>('/api/phones/:id', {
    config: requires('phones.manage'),
    schema: { tags: ['phones'], summary: 'Delete a phone endpoint', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.phones.remove(principalOf(req).tenantId, req.params.id, actor(req));
    return reply.status(204).send();
  });

  app.get('/api/sip/domains', {
    config: requires('phones.read'),
    schema: { tags: ['phones'], summary: 'SIP domains that route to this workspace', response: { 200: listOf({ type: 'string' }) } },
  }, async (req) => ({ items: await d.phones.domains(principalOf(req).tenantId) }));

  app.post<{ Body: { domain: string } }>('/api/sip/domains', {
    config: requires('phones.manage'),
    schema: { tags: ['phones'], summary: 'Route a SIP domain to this workspace', body: domainBody, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.phones.addDomain(principalOf(req).tenantId, req.body.domain, actor(req));
    return reply.status(204).send();
  });
}
