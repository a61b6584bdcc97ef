// The permission matrix: every API route × every role, checked on the server. The expected table is
// written out here by hand; a route missing from it fails the suite, so new routes must be added.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { routeRules } from '../../src/http/index.ts';
import { testStorageTargets } from '../../src/storage/index.ts';
import type { Role } from '../../src/auth/index.ts';
import { login, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

type Who = Role | 'public' | 'any';
const ALL: Role[] = ['admin', 'supervisor', 'agent', 'auditor'];

interface Case {
  allowed: Who[];
  /** Builds the request for one attempt (fresh targets so destructive calls do not interfere). */
  request: (t: TestApp) => Promise<{ url: string; payload?: unknown }>;
}

let seq = 0;
const scratchUser = async (t: TestApp) => {
  const u = await t.app.directory.createUser(t.tenants.demo, { username: `scratch${++seq}`, displayName: 'Scratch', password: TEST_PASSWORD, roles: ['agent'] });
  return u.id;
};
const scratchTeam = async (t: TestApp) => (await t.app.directory.createTeam(t.tenants.demo, { name: `Team ${++seq}` })).id;
const scratchPhone = async (t: TestApp) => (await t.app.phones.create(t.tenants.demo, { username: `3${++seq}`, displayName: 'Scratch', password: 'long enough secret' })).id;
const anyUser = async (t: TestApp) => (await t.app.directory.listUsers(t.tenants.demo))[0]!.id;
const agentUser = async (t: TestApp) => (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'agent2')!.id;
const WEEK = { mon: [{ start: '09:00', end: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const scratchCalendar = async (t: TestApp) => (await t.app.calendars.create(t.tenants.demo, { name: `Cal ${++seq}`, timeZone: 'Asia/Shanghai', weekly: WEEK })).id;
const scratchCustomer = async (t: TestApp) => (await t.app.customers.create(t.tenants.demo, { name: `Customer ${++seq}` })).id;
const scratchQueue = async (t: TestApp) => (await t.app.routing.saveQueue(t.tenants.demo, { name: `Queue ${++seq}`, settings: {} })).id;
const FLOW = { start: 'bye', defaultLanguage: 'en', nodes: { bye: { type: 'hangup' } } };
const scratchFlow = async (t: TestApp) => (await t.app.flows.create(t.tenants.demo, { name: `Flow ${++seq}`, document: FLOW })).id;
const scratchNumber = async (t: TestApp) => (await t.app.numbers.create(t.tenants.demo, { number: `+8610${String(++seq).padStart(8, '0')}` })).id;
const anyInteraction = '00000000-0000-4000-8000-000000000001';
const scratchTicket = async (t: TestApp) => (await t.app.tickets.create(t.tenants.demo, { subject: `Ticket ${++seq}` })).id;
const scratchWebhook = async (t: TestApp) => (await t.app.webhooks.create(t.tenants.demo, { url: 'http://127.0.0.1:9/hook', events: ['CustomersMerged'], allowPrivateNetwork: true })).id;
const scratchDelivery = async (t: TestApp) => (await t.app.webhooks.ping(t.tenants.demo, await scratchWebhook(t))).id;
const TICKET_WORKFLOW = { initial: 'open', statuses: [{ key: 'open', name: 'Open', category: 'open' as const }, { key: 'done', name: 'Done', category: 'closed' as const }], transitions: [{ from: 'open', to: 'done' }] };
const scratchTicketType = async (t: TestApp) => (await t.app.tickets.createType(t.tenants.demo, { key: `type-${++seq}`, name: 'Scratch type', workflow: TICKET_WORKFLOW })).id;

const MATRIX: Record<string, Case> = {
  'POST /api/auth/login': { allowed: ['public'], request: async () => ({ url: '/api/auth/login', payload: { tenant: 'demo', username: 'admin', password: TEST_PASSWORD } }) },
  'POST /api/auth/logout': { allowed: ['any'], request: async () => ({ url: '/api/auth/logout' }) },
  'GET /api/auth/me': { allowed: ['any'], request: async () => ({ url: '/api/auth/me' }) },
  'POST /api/auth/totp/setup': { allowed: ['any'], request: async () => ({ url: '/api/auth/totp/setup' }) },
  'POST /api/auth/totp/enable': { allowed: ['any'], request: async () => ({ url: '/api/auth/totp/enable', payload: { code: '000000' } }) },
  'POST /api/auth/totp/disable': { allowed: ['any'], request: async () => ({ url: '/api/auth/totp/disable', payload: { code: '000000' } }) },
  'GET /api/users': { allowed: ['admin', 'supervisor', 'auditor'], request: async () => ({ url: '/api/users' }) },
  'GET /api/users/:id': { allowed: ['admin', 'supervisor', 'auditor'], request: async (t) => ({ url: `/api/users/${await anyUser(t)}` }) },
  'POST /api/users': { allowed: ['admin'], request: async () => ({ url: '/api/users', payload: { username: `new${++seq}`, displayName: 'New', password: TEST_PASSWORD, roles: ['agent'] } }) },
  'PATCH /api/users/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/users/${await scratchUser(t)}`, payload: { displayName: 'Renamed' } }) },
  'POST /api/users/:id/disable': { allowed: ['admin'], request: async (t) => ({ url: `/api/users/${await scratchUser(t)}/disable` }) },
  'POST /api/users/:id/enable': { allowed: ['admin'], request: async (t) => ({ url: `/api/users/${await scratchUser(t)}/enable` }) },
  'GET /api/roles': { allowed: ['admin', 'supervisor', 'auditor'], request: async () => ({ url: '/api/roles' }) },
  'GET /api/teams': { allowed: ['admin', 'supervisor', 'auditor'], request: async () => ({ url: '/api/teams' }) },
  'GET /api/teams/:id': { allowed: ['admin', 'supervisor', 'auditor'], request: async (t) => ({ url: `/api/teams/${await scratchTeam(t)}` }) },
  'POST /api/teams': { allowed: ['admin'], request: async () => ({ url: '/api/teams', payload: { name: `Created ${++seq}` } }) },
  'PATCH /api/teams/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/teams/${await scratchTeam(t)}`, payload: { description: 'changed' } }) },
  'DELETE /api/teams/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/teams/${await scratchTeam(t)}` }) },
  'GET /api/audit': { allowed: ['admin', 'auditor'], request: async () => ({ url: '/api/audit?limit=5' }) },
  'GET /api/audit/verify': { allowed: ['admin', 'auditor'], request: async () => ({ url: '/api/audit/verify' }) },
  'GET /api/tokens': { allowed: ['admin'], request: async () => ({ url: '/api/tokens' }) },
  'POST /api/tokens': { allowed: ['admin'], request: async () => ({ url: '/api/tokens', payload: { name: `tok${++seq}`, permissions: ['users.read'] } }) },
  'DELETE /api/tokens/:id': {
    allowed: ['admin'],
    request: async (t) => {
      const admin = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'admin')!;
      const tok = await t.app.auth.createToken({ principal: { kind: 'session', tenantId: t.tenants.demo, userId: admin.id, name: 'admin', roles: ['admin'], permissions: ['users.read'], credentialId: 'x' }, ip: null }, { name: `del${++seq}`, permissions: ['users.read'] });
      return { url: `/api/tokens/${tok.id}` };
    },
  },
  'GET /api/phones': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/phones' }) },
  'POST /api/phones': { allowed: ['admin'], request: async () => ({ url: '/api/phones', payload: { username: `2${++seq}`, displayName: 'Desk', password: 'long enough secret' } }) },
  'PUT /api/phones/:id/password': { allowed: ['admin'], request: async (t) => ({ url: `/api/phones/${await scratchPhone(t)}/password`, payload: { password: 'another long secret' } }) },
  'DELETE /api/phones/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/phones/${await scratchPhone(t)}` }) },
  'GET /api/sip/domains': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/sip/domains' }) },
  'POST /api/sip/domains': { allowed: ['admin'], request: async () => ({ url: '/api/sip/domains', payload: { domain: `d${++seq}.example.com` } }) },
  'GET /api/trunks': { allowed: ['admin'], request: async () => ({ url: '/api/trunks' }) },
  'POST /api/trunks': { allowed: ['admin'], request: async () => ({ url: '/api/trunks', payload: { name: `carrier ${++seq}`, host: 'sip.carrier.example' } }) },
  'DELETE /api/trunks/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/trunks/${(await t.app.trunks.create(t.tenants.demo, { name: `t${++seq}`, host: 'x.example' })).id}` }) },
  'GET /api/calendars': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/calendars' }) },
  'POST /api/calendars': { allowed: ['admin'], request: async () => ({ url: '/api/calendars', payload: { name: `Hours ${++seq}`, timeZone: 'Asia/Taipei', weekly: WEEK } }) },
  'GET /api/calendars/:id': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/calendars/${await scratchCalendar(t)}` }) },
  'PUT /api/calendars/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/calendars/${await scratchCalendar(t)}`, payload: { name: `Renamed ${++seq}`, timeZone: 'Asia/Taipei', weekly: WEEK } }) },
  'DELETE /api/calendars/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/calendars/${await scratchCalendar(t)}` }) },
  'GET /api/calendars/:id/status': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/calendars/${await scratchCalendar(t)}/status` }) },
  'GET /api/customers': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/customers' }) },
  'POST /api/customers': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/customers', payload: { name: `Walk-in ${++seq}` } }) },
  'GET /api/customers/lookup': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/customers/lookup?phone=%2B8613800138000' }) },
  'GET /api/customers/duplicates': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/customers/duplicates' }) },
  'GET /api/customers/export': { allowed: ['admin'], request: async () => ({ url: '/api/customers/export' }) },
  'POST /api/customers/import': { allowed: ['admin'], request: async () => ({ url: '/api/customers/import', payload: { csv: 'name\nImported' } }) },
  'POST /api/customers/merges/:mergeId/undo': { allowed: ['admin'], request: async () => ({ url: `/api/customers/merges/${anyInteraction}/undo` }) },
  'GET /api/customers/:id': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}` }) },
  'PATCH /api/customers/:id': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}`, payload: { company: 'ACME' } }) },
  'DELETE /api/customers/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}`, payload: { reason: 'asked to be forgotten' } }) },
  'POST /api/customers/:id/identities': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}/identities`, payload: { kind: 'email', value: `c${++seq}@example.com` } }) },
  'DELETE /api/customers/:id/identities/:identityId': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}/identities/${anyInteraction}` }) },
  'POST /api/customers/:id/notes': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}/notes`, payload: { body: 'called about an order' } }) },
  'GET /api/customers/:id/timeline': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}/timeline` }) },
  'POST /api/customers/:id/merge': { allowed: ['admin'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}/merge`, payload: { customerId: await scratchCustomer(t) } }) },
  'PUT /api/customers/:id/legal-hold': { allowed: ['admin'], request: async (t) => ({ url: `/api/customers/${await scratchCustomer(t)}/legal-hold`, payload: { reason: null } }) },
  'GET /api/crm/fields': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/crm/fields' }) },
  'PUT /api/crm/fields': { allowed: ['admin'], request: async () => ({ url: '/api/crm/fields', payload: { items: [] } }) },
  'GET /api/crm/settings': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/crm/settings' }) },
  'PUT /api/crm/settings': { allowed: ['admin'], request: async () => ({ url: '/api/crm/settings', payload: { defaultRegion: 'CN' } }) },
  'POST /api/wfm/erlang-c': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/wfm/erlang-c', payload: { callsPerInterval: 100, intervalSeconds: 1800, ahtSeconds: 180, agents: 14 } }) },
  'POST /api/wfm/forecast': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/wfm/forecast', payload: {} }) },
  'GET /api/numbers': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/numbers' }) },
  'POST /api/numbers': { allowed: ['admin'], request: async () => ({ url: '/api/numbers', payload: { number: `+8621${String(++seq).padStart(8, '0')}` } }) },
  'PATCH /api/numbers/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/numbers/${await scratchNumber(t)}`, payload: { label: 'Main line' } }) },
  'DELETE /api/numbers/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/numbers/${await scratchNumber(t)}` }) },
  'GET /api/voice/unknown-number': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/voice/unknown-number' }) },
  'PUT /api/voice/unknown-number': { allowed: ['admin'], request: async () => ({ url: '/api/voice/unknown-number', payload: { status: 404, announce: true } }) },
  'GET /api/flows/schema': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/flows/schema' }) },
  'POST /api/flows/validate': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/flows/validate', payload: { document: FLOW } }) },
  'GET /api/flows': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/flows' }) },
  'POST /api/flows': { allowed: ['admin'], request: async () => ({ url: '/api/flows', payload: { name: `New flow ${++seq}`, document: FLOW } }) },
  'GET /api/flows/:id': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/flows/${await scratchFlow(t)}` }) },
  'GET /api/flows/:id/versions/:version': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/flows/${await scratchFlow(t)}/versions/1` }) },
  'POST /api/flows/:id/versions': { allowed: ['admin'], request: async (t) => ({ url: `/api/flows/${await scratchFlow(t)}/versions`, payload: { document: FLOW } }) },
  'POST /api/flows/:id/publish': { allowed: ['admin'], request: async (t) => ({ url: `/api/flows/${await scratchFlow(t)}/publish`, payload: {} }) },
  'DELETE /api/flows/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/flows/${await scratchFlow(t)}` }) },
  'GET /api/prompts': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/prompts' }) },
  'POST /api/prompts': { allowed: ['admin'], request: async () => ({ url: `/api/prompts?name=p${++seq}`, payload: {} }) },
  'DELETE /api/prompts/:id': { allowed: ['admin'], request: async () => ({ url: `/api/prompts/${anyInteraction}` }) },
  'GET /api/prompts/:id/audio': { allowed: ['admin', 'supervisor'], request: async () => ({ url: `/api/prompts/${anyInteraction}/audio` }) },
  'GET /api/quality/recording-retention': { allowed: ['admin', 'supervisor', 'auditor'], request: async () => ({ url: '/api/quality/recording-retention' }) },
  'PUT /api/quality/recording-retention': { allowed: ['admin'], request: async () => ({ url: '/api/quality/recording-retention', payload: { days: 90 } }) },
  'GET /api/queues': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/queues' }) },
  'POST /api/queues': { allowed: ['admin'], request: async () => ({ url: '/api/queues', payload: { name: `Billing ${++seq}`, settings: { wrapUpSeconds: 30 } } }) },
  'GET /api/queues/:id': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/queues/${await scratchQueue(t)}` }) },
  'PATCH /api/queues/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/queues/${await scratchQueue(t)}`, payload: { settings: { priority: 5 } } }) },
  'DELETE /api/queues/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/queues/${await scratchQueue(t)}` }) },
  'GET /api/agents': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/agents' }) },
  'GET /api/agents/me': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/agents/me' }) },
  'PUT /api/agents/me/state': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/agents/me/state', payload: { state: 'NotReady', reason: 'break' } }) },
  'POST /api/agents/me/wrap-up': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/agents/me/wrap-up', payload: {} }) },
  'PUT /api/agents/:id/state': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/agents/${await agentUser(t)}/state`, payload: { state: 'NotReady', reason: 'training' } }) },
  'PUT /api/agents/:id/profile': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/agents/${await agentUser(t)}/profile`, payload: { skills: { support: 3, 'lang:en': 4 } } }) },
  'GET /api/interactions': { allowed: ['admin', 'supervisor', 'auditor'], request: async () => ({ url: '/api/interactions' }) },
  'GET /api/interactions/:id': { allowed: ['admin', 'supervisor', 'auditor'], request: async () => ({ url: `/api/interactions/${anyInteraction}` }) },
  'POST /api/calls': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/calls', payload: { number: '+8613800138000' } }) },
  'POST /api/calls/:id/hold': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/hold`, payload: { held: true } }) },
  'POST /api/calls/:id/recording': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/recording`, payload: { paused: true } }) },
  'POST /api/calls/:id/transfer': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/transfer`, payload: { target: { queue: anyInteraction } } }) },
  'GET /api/agents/me/calls': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/agents/me/calls' }) },
  'POST /api/agents/me/offers/:offerId/reject': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/agents/me/offers/${anyInteraction}/reject` }) },
  'POST /api/agents/me/offers/:offerId/accept': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/agents/me/offers/${anyInteraction}/accept` }) },
  'POST /api/calls/:id/mute': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/mute`, payload: { muted: true } }) },
  'POST /api/calls/:id/dtmf': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/dtmf`, payload: { digits: '123#' } }) },
  'POST /api/calls/:id/hangup': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/hangup` }) },
  'POST /api/calls/:id/consult': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/consult`, payload: { target: { extension: '1002' } } }) },
  'POST /api/calls/:id/consult/complete': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/consult/complete` }) },
  'POST /api/calls/:id/consult/cancel': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/consult/cancel` }) },
  'POST /api/calls/:id/conference': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/conference`, payload: { target: { number: '+8613800138000' } } }) },
  'DELETE /api/calls/:id/conference': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/calls/${anyInteraction}/conference` }) },
  'POST /api/calls/:id/monitor': { allowed: ['admin', 'supervisor'], request: async () => ({ url: `/api/calls/${anyInteraction}/monitor`, payload: { mode: 'listen' } }) },
  'PUT /api/calls/:id/monitor': { allowed: ['admin', 'supervisor'], request: async () => ({ url: `/api/calls/${anyInteraction}/monitor`, payload: { mode: 'whisper' } }) },
  'DELETE /api/calls/:id/monitor': { allowed: ['admin', 'supervisor'], request: async () => ({ url: `/api/calls/${anyInteraction}/monitor` }) },
  'GET /api/desktop/state': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/desktop/state' }) },
  'PUT /api/desktop/settings': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/desktop/settings', payload: { autoAnswer: false } }) },
  'GET /api/desktop/history': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/desktop/history' }) },
  'GET /api/desktop/transfer-targets': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/desktop/transfer-targets' }) },
  'PATCH /api/desktop/interactions/:id': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/desktop/interactions/${anyInteraction}`, payload: { notes: 'called back' } }) },
  'GET /api/desktop/interactions/:id/recording': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: `/api/desktop/interactions/${anyInteraction}/recording` }) },
  'GET /api/supervisor/agents': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/supervisor/agents' }) },
  'GET /api/recordings': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/recordings?limit=5' }) },
  'GET /api/recordings/:id/audio': { allowed: ['admin', 'supervisor'], request: async () => ({ url: `/api/recordings/${anyInteraction}/audio` }) },
  'GET /api/wallboard': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/wallboard' }) },
  'GET /api/wallboard/queues/:id': { allowed: ['admin', 'supervisor'], request: async (t) => ({ url: `/api/wallboard/queues/${await scratchQueue(t)}` }) },
  'GET /api/reports': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/reports?by=queue&grain=day&from=2026-11-01&to=2026-11-22' }) },
  'GET /api/reports/agent-states': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/reports/agent-states?grain=day&from=2026-11-01&to=2026-11-22' }) },
  'GET /api/reports/settings': { allowed: ['admin', 'supervisor'], request: async () => ({ url: '/api/reports/settings' }) },
  'PUT /api/reports/settings': { allowed: ['admin'], request: async () => ({ url: '/api/reports/settings', payload: { shortAbandonSeconds: 5 } }) },
  'POST /api/reports/rebuild': { allowed: ['admin'], request: async () => ({ url: '/api/reports/rebuild', payload: { from: '2026-11-22', to: '2026-11-22' } }) },
  'POST /api/interactions/:id/survey': { allowed: ['admin'], request: async () => ({ url: `/api/interactions/${anyInteraction}/survey`, payload: { score: 5 } }) },
  'GET /api/tickets': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/tickets?status=new' }) },
  'POST /api/tickets': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/tickets', payload: { subject: `Printer ${++seq} jams`, type: 'repair' } }) },
  'GET /api/tickets/sla-breaches': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/tickets/sla-breaches' }) },
  'GET /api/tickets/types': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/tickets/types' }) },
  'POST /api/tickets/types': { allowed: ['admin'], request: async () => ({ url: '/api/tickets/types', payload: { key: `new-type-${++seq}`, name: 'New type', workflow: TICKET_WORKFLOW } }) },
  'GET /api/tickets/types/:id': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/types/${await scratchTicketType(t)}` }) },
  'PUT /api/tickets/types/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/tickets/types/${await scratchTicketType(t)}`, payload: { key: `renamed-${++seq}`, name: 'Renamed', workflow: TICKET_WORKFLOW } }) },
  'DELETE /api/tickets/types/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/tickets/types/${await scratchTicketType(t)}` }) },
  'GET /api/tickets/types/:id/sla-policies': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/types/${await scratchTicketType(t)}/sla-policies` }) },
  'PUT /api/tickets/types/:id/sla-policies': { allowed: ['admin'], request: async (t) => ({ url: `/api/tickets/types/${await scratchTicketType(t)}/sla-policies`, payload: { items: [{ priority: 'high', calendarId: null, firstResponseMinutes: 30, resolutionMinutes: 240, warnAtPercent: 80 }] } }) },
  'GET /api/tickets/:id': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}` }) },
  'PATCH /api/tickets/:id': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}`, payload: { priority: 'high', status: 'assigned' } }) },
  'GET /api/tickets/:id/comments': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/comments` }) },
  'POST /api/tickets/:id/comments': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/comments`, payload: { body: 'on it' } }) },
  'GET /api/tickets/:id/attachments': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/attachments` }) },
  'POST /api/tickets/:id/attachments': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/attachments?name=notes.json`, payload: { note: 'text' } }) },
  'GET /api/tickets/:id/attachments/:attachmentId': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/attachments/${anyInteraction}` }) },
  'PUT /api/tickets/:id/watchers/:userId': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/watchers/${await anyUser(t)}` }) },
  'DELETE /api/tickets/:id/watchers/:userId': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/watchers/${await anyUser(t)}` }) },
  'GET /api/tickets/:id/history': { allowed: ['admin', 'supervisor', 'agent'], request: async (t) => ({ url: `/api/tickets/${await scratchTicket(t)}/history` }) },
  'GET /api/webhooks/events': { allowed: ['admin'], request: async () => ({ url: '/api/webhooks/events' }) },
  'GET /api/webhooks': { allowed: ['admin'], request: async () => ({ url: '/api/webhooks' }) },
  'POST /api/webhooks': { allowed: ['admin'], request: async () => ({ url: '/api/webhooks', payload: { url: 'https://hooks.example.com/in', events: ['CustomersMerged'], active: false } }) },
  'GET /api/webhooks/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/${await scratchWebhook(t)}` }) },
  'PATCH /api/webhooks/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/${await scratchWebhook(t)}`, payload: { description: 'ERP' } }) },
  'DELETE /api/webhooks/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/${await scratchWebhook(t)}` }) },
  'POST /api/webhooks/:id/secret': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/${await scratchWebhook(t)}/secret` }) },
  'POST /api/webhooks/:id/ping': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/${await scratchWebhook(t)}/ping` }) },
  'GET /api/webhooks/:id/deliveries': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/${await scratchWebhook(t)}/deliveries?limit=10` }) },
  'GET /api/webhooks/deliveries/:id': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/deliveries/${await scratchDelivery(t)}` }) },
  'POST /api/webhooks/deliveries/:id/redeliver': { allowed: ['admin'], request: async (t) => ({ url: `/api/webhooks/deliveries/${await scratchDelivery(t)}/redeliver` }) },
  'GET /api/integrations/customer-lookup': { allowed: ['admin', 'supervisor', 'agent'], request: async () => ({ url: '/api/integrations/customer-lookup?phone=%2B8613800138000' }) },
  'GET /api/integrations/lookup': { allowed: ['admin'], request: async () => ({ url: '/api/integrations/lookup' }) },
  'PUT /api/integrations/lookup': { allowed: ['admin'], request: async () => ({ url: '/api/integrations/lookup', payload: { urlTemplate: 'http://127.0.0.1:9/customers?phone={{phone}}', headers: { 'X-Api-Key': 'k' }, allowPrivateNetwork: true } }) },
  'DELETE /api/integrations/lookup': { allowed: ['admin'], request: async () => ({ url: '/api/integrations/lookup' }) },
  'POST /api/integrations/lookup/test': { allowed: ['admin'], request: async () => ({ url: '/api/integrations/lookup/test', payload: { phone: '+8613800138000' } }) },
  'GET /api/events': { allowed: ['any'], request: async () => ({ url: '/api/events' }) },
};

const USERNAME: Record<Role, string> = { admin: 'admin', supervisor: 'supervisor', agent: 'agent1', auditor: 'auditor' };

for (const dialect of testStorageTargets()) {
  describe(`permission matrix (${dialect})`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(dialect); });
    after(async () => { await t.close(); });

    test('every registered API route is in the expected matrix, with the rule it declares', () => {
      const registered = routeRules(t.app.http).map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(registered, Object.keys(MATRIX).sort());
      for (const r of routeRules(t.app.http)) {
        const c = MATRIX[`${r.method} ${r.url}`]!;
        if (c.allowed.includes('public')) assert.equal(r.rule.access, 'public');
        else if (c.allowed.includes('any')) assert.equal(r.rule.access, 'authenticated');
        else assert.equal(r.rule.access, 'permission', `${r.method} ${r.url}`);
      }
    });

    for (const [key, c] of Object.entries(MATRIX)) {
      const [method, path] = key.split(' ') as [string, string];
      if (path === '/api/events') continue; // WebSocket upgrade: covered in live-events.test.ts
      test(`${key}: without credentials`, async () => {
        const { url, payload } = await c.request(t);
        const res = await t.app.http.inject({ method: method as 'GET', url, ...(payload === undefined ? {} : { payload: payload as object }) });
        if (c.allowed.includes('public')) assert.equal(res.statusCode, 200, res.body);
        else {
          assert.equal(res.statusCode, 401, res.body);
          assert.equal(res.json().code, 'SB_AUTH_REQUIRED');
        }
      });
      if (c.allowed.includes('public')) continue;
      for (const role of ALL) {
        const allowed = c.allowed.includes('any') || c.allowed.includes(role);
        test(`${key}: ${role} is ${allowed ? 'allowed' : 'denied'}`, async () => {
          const cookie = await login(t, 'demo', USERNAME[role]);
          const { url, payload } = await c.request(t);
          const res = await t.app.http.inject({ method: method as 'GET', url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
          if (allowed) {
            assert.ok(res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
          } else {
            assert.equal(res.statusCode, 403, res.body);
            assert.equal(res.json().code, 'SB_AUTH_FORBIDDEN');
          }
        });
      }
    }

    test('a permission denial is written to the audit trail with actor and IP', async () => {
      const cookie = await login(t, 'demo', 'agent1');
      const res = await t.app.http.inject({ method: 'GET', url: '/api/users', headers: { cookie }, remoteAddress: '10.1.2.3' });
      assert.equal(res.statusCode, 403);
      const entries = await t.app.audit.list(t.tenants.demo, { limit: 5 });
      const denial = entries.find((e) => e.action === 'auth.permission_denied' && e.ip === '10.1.2.3');
      assert.ok(denial, 'denial recorded');
      assert.equal(denial.actorName, 'agent1');
      assert.equal(denial.details['permission'], 'users.read');
    });

    test('an API token acts only within the permissions it was given', async () => {
      const cookie = await login(t, 'demo', 'admin');
      const created = await t.app.http.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: { name: 'crm', permissions: ['users.read'] } });
      assert.equal(created.statusCode, 201);
      const token = created.json().token as string;
      assert.match(token, /^sbt_/);
      const list = await t.app.http.inject({ method: 'GET', url: '/api/tokens', headers: { cookie } });
      assert.ok(!list.body.includes(token), 'the secret is never shown again');
      const auth = { authorization: `Bearer ${token}` };
      assert.equal((await t.app.http.inject({ method: 'GET', url: '/api/users', headers: auth })).statusCode, 200);
      assert.equal((await t.app.http.inject({ method: 'POST', url: '/api/teams', headers: auth, payload: { name: 'via token' } })).statusCode, 403);
      await t.app.http.inject({ method: 'DELETE', url: `/api/tokens/${created.json().id}`, headers: { cookie } });
      assert.equal((await t.app.http.inject({ method: 'GET', url: '/api/users', headers: auth })).statusCode, 401);
    });

    test('a token cannot be granted a permission its creator lacks', async () => {
      const cookie = await login(t, 'demo', 'admin');
      // Admin holds everything; a supervisor cannot create tokens at all, so check the cap through the service.
      const sup = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'supervisor')!;
      await assert.rejects(
        t.app.auth.createToken({ principal: { kind: 'session', tenantId: t.tenants.demo, userId: sup.id, name: 'supervisor', roles: ['supervisor'], permissions: ['users.read'], credentialId: 'x' }, ip: null }, { name: 'x', permissions: ['users.write'] }),
        (e: Error & { code?: string }) => e.code === 'SB_VALIDATION',
      );
      assert.ok(cookie);
    });
  });
}
