// Resolves the caller (session cookie or API token) and enforces each route's access rule before
// the handler runs. A route without a rule is a programming error caught at start.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '../audit/index.ts';
import type { Authenticator, Principal } from '../auth/index.ts';
import { DomainError } from '../kernel/index.ts';
import type { RouteAccess } from './fastify-types.ts';

export const SESSION_COOKIE = 'sb_session';

export async function resolvePrincipal(req: FastifyRequest, auth: Authenticator): Promise<Principal | undefined> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m?.[1] ? auth.apiToken(m[1]) : undefined;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie ? auth.session(cookie) : undefined;
}

/** Every API route with its access rule, as registered (the permission matrix test reads it). */
export interface RouteRule {
  method: string;
  url: string;
  rule: RouteAccess;
}

const ROUTE_RULES = new WeakMap<FastifyInstance, RouteRule[]>();
export const routeRules = (app: FastifyInstance): readonly RouteRule[] => ROUTE_RULES.get(app) ?? [];

export function installAccessControl(app: FastifyInstance, deps: { auth: Authenticator; audit: AuditLog }): void {
  app.decorateRequest('principal', undefined);
  const rules: RouteRule[] = [];
  ROUTE_RULES.set(app, rules);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const rule = route.config?.rule;
    if (!rule) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') rules.push({ method, url: route.url, rule });
  });
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const rule: RouteAccess | undefined = req.routeOptions.config.rule;
    if (!rule || rule.access === 'public') return;
    const principal = await resolvePrincipal(req, deps.auth);
    if (!principal) throw new DomainError('SB_AUTH_REQUIRED', 401, 'log in or send an API token');
    req.principal = principal;
    if (rule.access === 'permission' && !principal.permissions.includes(rule.permission)) {
      await deps.audit.append({
        tenantId: principal.tenantId, action: 'auth.permission_denied', actorId: principal.userId, actorName: principal.name,
        ip: req.ip, details: { permission: rule.permission, method: req.method, route: req.routeOptions.url },
      });
      throw new DomainError('SB_AUTH_FORBIDDEN', 403, `this needs the ${rule.permission} permission`, { permission: rule.permission });
    }
  });
}

/** The principal of a request that passed access control. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('SB_AUTH_REQUIRED', 401, 'log in or send an API token');
  return req.principal;
}
