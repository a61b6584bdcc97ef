// Route-level access rules and the resolved principal, attached to Fastify's own types.
import type { Permission, Principal } from '../auth/index.ts';

/** Who may call a route: anyone, any logged-in principal, or holders of one permission. */
export type RouteAccess = { access: 'public' } | { access: 'authenticated' } | { access: 'permission'; permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    rule?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export const publicRoute = { rule: { access: 'public' } } as const satisfies { rule: RouteAccess };
export const authenticated = { rule: { access: 'authenticated' } } as const satisfies { rule: RouteAccess };
export const requires = (permission: Permission): { rule: RouteAccess } => ({ rule: { access: 'permission', permission } });
