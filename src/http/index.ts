export { buildHttpServer, CONTENT_SECURITY_POLICY, type HttpDeps } from './server.ts';
export { WsHub, type BrowserMessage } from './ws-hub.ts';
export { SESSION_COOKIE, routeRules, type RouteRule } from './auth-hook.ts';
export { type RouteAccess } from './fastify-types.ts';
export { projectToBrowser } from './browser-projection.ts';
