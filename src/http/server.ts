// The Fastify app: built separately from listening (tests use app.inject and real sockets alike).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { AuditLog } from '../audit/index.ts';
import type { Authenticator, Directory } from '../auth/index.ts';
import type { TenantStore } from '../tenancy/index.ts';
import type { Storage } from '../storage/index.ts';
import { installAccessControl, principalOf } from './auth-hook.ts';
import { errorHandler, errorSchema } from './errors.ts';
import { authenticated, publicRoute } from './fastify-types.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { userRoutes } from './routes/user-routes.ts';
import type { WsHub } from './ws-hub.ts';
import type { ContactCalls, Numbers, Phones, Trunks } from '../voice/index.ts';
import type { Calendars } from '../calendar/index.ts';
import type { Customers } from '../crm/index.ts';
import type { FlowReferences, Flows, PromptLibrary } from '../ivr/index.ts';
import type { InteractionStore } from '../interactions/index.ts';
import type { RoutingEngine } from '../routing/index.ts';
import type { Webhooks } from '../webhooks/index.ts';
import type { CustomerLookup } from '../integrations/index.ts';
import type { Tickets } from '../tickets/index.ts';
import type { TicketChannel } from '../channels/tickets/index.ts';
import type { Desktop, Recordings } from '../desktop/index.ts';
import type { Analytics } from '../analytics/index.ts';
import { phoneRoutes } from './routes/phone-routes.ts';
import { calendarRoutes } from './routes/calendar-routes.ts';
import { contactCenterRoutes } from './routes/contact-center-routes.ts';
import { crmRoutes } from './routes/crm-routes.ts';
import { ticketRoutes } from './routes/ticket-routes.ts';
import { wfmRoutes } from './routes/wfm-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';
import { integrationRoutes } from './routes/integration-routes.ts';
import { analyticsRoutes } from './routes/analytics-routes.ts';
import { desktopRoutes } from './routes/desktop-routes.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { RetentionPolicy } from '../quality/index.ts';

export interface HttpDeps {
  logger: FastifyBaseLogger;
  storage: Storage;
  auth: Authenticator;
  directory: Directory;
  tenants: TenantStore;
  audit: AuditLog;
  phones: Phones;
  trunks: Trunks;
  numbers: Numbers;
  calendars: Calendars;
  customers: Customers;
  flows: Flows;
  prompts: PromptLibrary;
  routing: RoutingEngine;
  interactions: InteractionStore;
  /** Outbound webhooks and the external customer lookup. */
  webhooks: Webhooks;
  customerLookup: CustomerLookup;
  tickets: Tickets;
  /** The agent desktop's state and the recordings search and player. */
  desktop: Desktop;
  recordings: Recordings;
  /** Wallboard, reports, KPI settings, surveys. */
  analytics: Analytics;
  /** Live calls; undefined when SIP is off. */
  calls: ContactCalls | undefined;
  /** The task channel: tickets routed to agents, accepted on the desktop. */
  tasks: TicketChannel;
  flowReferences(tenantId: string): FlowReferences;
  hub: WsHub;
  bodyLimit: number;
  trustProxy: boolean;
  cookieSecure: boolean;
  sessionTtlMs: number;
  /** Built web app (index.html + assets); served at / with an SPA fallback when present. */
  webRoot: string;
  version: string;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
].join('; ');

export async function buildHttpServer(d: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: d.logger,
    bodyLimit: d.bodyLimit,
    trustProxy: d.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, useDefaults: true } },
  });
  app.setErrorHandler(errorHandler);
  app.addSchema({ $id: 'Error', ...errorSchema });

  app.addHook('onSend', async (req, reply) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'no-referrer');
    void reply.header('X-Frame-Options', 'DENY');
    if (!req.url.startsWith('/api/docs')) void reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    if (req.url.startsWith('/api/')) void reply.header('Cache-Control', 'no-store');
  });

  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchboard API', version: d.version, description: 'Contact-center platform API. Errors are { code, message, details }.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
          token: { type: 'http', scheme: 'bearer', description: 'API token (sbt_...) created in the admin console' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installAccessControl(app, { auth: d.auth, audit: d.audit });

  app.get('/healthz', { config: publicRoute, schema: { hide: true } }, async (_req, reply) => {
    try {
      await d.storage.ping();
      return { status: 'ok', storage: d.storage.dialect, version: d.version };
    } catch {
      return reply.status(503).send({ code: 'SB_STORAGE_UNAVAILABLE', message: 'the database does not answer', details: {} });
    }
  });

  await app.register(async (api) => {
    await authRoutes(api, { auth: d.auth, directory: d.directory, tenants: d.tenants, cookieSecure: d.cookieSecure, sessionTtlMs: d.sessionTtlMs });
    await userRoutes(api, { directory: d.directory });
    await auditRoutes(api, { audit: d.audit, auth: d.auth });
    await phoneRoutes(api, { phones: d.phones, trunks: d.trunks });
    await calendarRoutes(api, { calendars: d.calendars });
    await crmRoutes(api, { customers: d.customers });
    await ticketRoutes(api, { tickets: d.tickets });
    await wfmRoutes(api);
    await webhookRoutes(api, { webhooks: d.webhooks });
    await integrationRoutes(api, { lookup: d.customerLookup });
    await analyticsRoutes(api, { analytics: d.analytics });
    await desktopRoutes(api, { desktop: d.desktop, recordings: d.recordings, routing: d.routing, directory: d.directory });
    await adminRoutes(api, { prompts: d.prompts, retention: new RetentionPolicy({ db: d.storage.db, audit: d.audit }) });
    await api.register(async (audio) => {
      // Uploaded prompts arrive as WAV bytes (RFC 2361 audio/wav and its common aliases).
      audio.addContentTypeParser(['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'], { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));
      await contactCenterRoutes(audio, {
        audit: d.audit, numbers: d.numbers, flows: d.flows, prompts: d.prompts, routing: d.routing, interactions: d.interactions, directory: d.directory,
        calls: d.calls, tasks: d.tasks, references: d.flowReferences,
      });
    });
    api.get('/api/events', { websocket: true, config: authenticated, schema: { tags: ['events'], summary: 'Live events (WebSocket)' } }, (socket, req) => {
      d.hub.add(socket, principalOf(req));
    });
  });

  const hasWeb = existsSync(join(d.webRoot, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: d.webRoot, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    const wantsPage = req.method === 'GET' && !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage && hasWeb) return reply.type('text/html').sendFile('index.html');
    if (wantsPage) return reply.status(404).type('text/plain').send('The web app is not built: run `npm run build:web` (npm start does it for you).');
    return reply.status(404).send({ code: 'SB_ROUTE_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}`, details: {} });
  });
  return app;
}
