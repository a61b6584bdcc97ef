import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../audit/index.ts';
import type { Authenticator, Permission } from '../../auth/index.ts';
import { principalOf } from '../auth-hook.ts';
import { requires } from '../fastify-types.ts';
import { idParams, listOf, permissionSchema } from '../schemas.ts';

const auditEntry = {
  type: 'object',
  properties: {
    seq: { type: 'integer' }, at: { type: 'string' }, actorId: { type: ['string', 'null'] }, actorName: { type: ['string', 'null'] },
    action: { type: 'string' }, targetType: { type: ['string', 'null'] }, targetId: { type: ['string', 'null'] }, ip: { type: ['string', 'null'] },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

const tokenView = {
  type: 'object',
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, permissions: { type: 'array', items: permissionSchema },
    createdAt: { type: 'string' }, lastUsedAt: { type: ['string', 'null'] }, createdBy: { type: 'string' }, token: { type: 'string' },
  },
} as const;

export async function auditRoutes(app: FastifyInstance, d: { audit: AuditLog; auth: Authenticator }): Promise<void> {
  app.get<{ Querystring: { limit?: string; before?: string } }>('/api/audit', {
    config: requires('audit.read'),
    schema: {
      tags: ['audit'], summary: 'Audit trail of the workspace, newest first',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { limit: { type: 'string', pattern: '^[0-9]{1,3}$' }, before: { type: 'string', pattern: '^[0-9]{1,12}$' } },
      },
      response: { 200: listOf(auditEntry) },
    },
  }, async (req) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 50), 1), 500);
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    return { items: await d.audit.list(principalOf(req).tenantId, { limit, before }) };
  });

  app.get('/api/audit/verify', {
    config: requires('audit.read'),
    schema: {
      tags: ['audit'], summary: 'Check the hash chain: any edited, deleted or reordered row is reported',
      response: { 200: { type: 'object', properties: { ok: { type: 'boolean' }, checked: { type: 'integer' }, brokenAt: { type: ['integer', 'null'] } } } },
    },
  }, async (req) => d.audit.verify(principalOf(req).tenantId));

  app.get('/api/tokens', {
    config: requires('tokens.manage'),
    schema: { tags: ['tokens'], summary: 'API tokens of the workspace (secrets are never shown again)', response: { 200: listOf(tokenView) } },
  }, async (req) => ({ items: await d.auth.listTokens(principalOf(req).tenantId) }));

  app.post<{ Body: { name: string; permissions: Permission[] } }>('/api/tokens', {
    config: requires('tokens.manage'),
    schema: {
      tags: ['tokens'], summary: 'Create an API token; its secret is in this answer only',
      body: {
        type: 'object', required: ['name', 'permissions'], additionalProperties: false,
        properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, permissions: { type: 'array', minItems: 1, items: permissionSchema } },
      },
      response: { 201: tokenView },
    },
  }, async (req, reply) => reply.status(201).send(await d.auth.createToken({ principal: principalOf(req), ip: req.ip }, req.body)));

  app.delete<{ Params: { id: string } }>('/api/tokens/:id', {
    config: requires('tokens.manage'),
    schema: { tags: ['tokens'], summary: 'Revoke an API token', params: idParams, response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.auth.revokeToken({ principal: principalOf(req), ip: req.ip }, req.params.id);
    return reply.status(204).send();
  });
}
