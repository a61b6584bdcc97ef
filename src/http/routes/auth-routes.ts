import type { FastifyInstance } from 'fastify';
import type { Authenticator, Directory } from '../../auth/index.ts';
import type { TenantStore } from '../../tenancy/index.ts';
import { DomainError } from '../../kernel/index.ts';
import { SESSION_COOKIE, principalOf } from '../auth-hook.ts';
import { authenticated, publicRoute } from '../fastify-types.ts';
import { meSchema } from '../schemas.ts';

export interface AuthRouteDeps {
  auth: Authenticator;
  directory: Directory;
  tenants: TenantStore;
  cookieSecure: boolean;
  sessionTtlMs: number;
}

const loginBody = {
  type: 'object',
  required: ['tenant', 'username', 'password'],
  additionalProperties: false,
  properties: {
    tenant: { type: 'string', minLength: 1, maxLength: 64 },
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
    totp: { type: 'string', minLength: 1, maxLength: 16 },
  },
} as const;

const codeBody = { type: 'object', required: ['code'], additionalProperties: false, properties: { code: { type: 'string', minLength: 1, maxLength: 16 } } } as const;

export async function authRoutes(app: FastifyInstance, d: AuthRouteDeps): Promise<void> {
  const me = async (tenantId: string, userId: string) => {
    const [user, tenant, teams] = await Promise.all([d.directory.getUser(tenantId, userId), d.tenants.byId(tenantId), d.directory.listTeams(tenantId)]);
    if (!tenant) throw new DomainError('SB_NOT_FOUND', 404, 'workspace not found');
    return {
      id: user.id, tenantId, tenantSlug: tenant.slug, tenantName: tenant.name, username: user.username, displayName: user.displayName,
      email: user.email, roles: user.roles, permissions: [] as string[], totpEnabled: user.totpEnabled,
      teams: teams.filter((t) => user.teamIds.includes(t.id)).map((t) => ({ id: t.id, name: t.name })),
    };
  };

  app.post<{ Body: { tenant: string; username: string; password: string; totp?: string } }>('/api/auth/login', {
    config: publicRoute,
    schema: { tags: ['auth'], summary: 'Log in and receive a session cookie', body: loginBody, response: { 200: meSchema } },
  }, async (req, reply) => {
    const { token, principal } = await d.auth.login({ ...req.body, ip: req.ip });
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', secure: d.cookieSecure, path: '/', maxAge: Math.floor(d.sessionTtlMs / 1000),
    });
    return { ...(await me(principal.tenantId, principal.userId)), permissions: principal.permissions };
  });

  app.post('/api/auth/logout', {
    config: authenticated,
    schema: { tags: ['auth'], summary: 'End the current session', response: { 204: { type: 'null' } } },
  }, async (req, reply) => {
    await d.auth.logout(principalOf(req), req.ip);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', {
    config: authenticated,
    schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: meSchema } },
  }, async (req) => {
    const p = principalOf(req);
    return { ...(await me(p.tenantId, p.userId)), permissions: p.permissions };
  });

  app.post('/api/auth/totp/setup', {
    config: authenticated,
    schema: { tags: ['auth'], summary: 'Start two-factor setup', response: { 200: { type: 'object', properties: { secret: { type: 'string' }, otpauthUrl: { type: 'string' } } } } },
  }, async (req) => {
    const p = principalOf(req);
    if (p.kind !== 'session') throw new DomainError('SB_AUTH_FORBIDDEN', 403, 'two-factor settings need a logged-in user');
    return d.auth.totpSetup({ principal: p, ip: req.ip });
  });

  for (const [path, enable] of [['/api/auth/totp/enable', true], ['/api/auth/totp/disable', false]] as const) {
    app.post<{ Body: { code: string } }>(path, {
      config: authenticated,
      schema: { tags: ['auth'], summary: enable ? 'Turn two-factor login on' : 'Turn two-factor login off', body: codeBody, response: { 204: { type: 'null' } } },
    }, async (req, reply) => {
      const p = principalOf(req);
      if (p.kind !== 'session') throw new DomainError('SB_AUTH_FORBIDDEN', 403, 'two-factor settings need a logged-in user');
      await d.auth.totpConfirm({ principal: p, ip: req.ip }, req.body.code, enable);
      return reply.status(204).send();
    });
  }
}
