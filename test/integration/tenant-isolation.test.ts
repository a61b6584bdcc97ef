// No API route returns, changes or even confirms the existence of another tenant's data:
// a foreign id answers exactly what an id that never existed answers (404).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testStorageTargets } from '../../src/storage/index.ts';
import { routeRules } from '../../src/http/index.ts';
import { encodeWav } from '../../src/media/index.ts';
import { login, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

const NEVER = '00000000-0000-4000-8000-000000000000';

for (const dialect of testStorageTargets()) {
  describe(`tenant isolation (${dialect})`, () => {
    let t: TestApp;
    let foreignUser: string;
    let foreignTeam: string;
    let foreignToken: string;
    let foreignPhone: string;
    let foreignTrunk: string;
    let foreign: Record<'calendar' | 'customer' | 'flow' | 'queue' | 'number' | 'prompt' | 'interaction' | 'recording', string>;
    let foreignTicket: string;
    let foreignTicketType: string;
    let foreignWebhook: string;
    let foreignDelivery: string;
    let cookie: string;
    const snapshot = async () => JSON.stringify([
      await t.app.directory.listUsers(t.tenants.other),
      await t.app.directory.listTeams(t.tenants.other),
      await t.app.auth.listTokens(t.tenants.other),
      await t.app.phones.list(t.tenants.other),
      await t.app.trunks.list(t.tenants.other),
      await t.app.calendars.list(t.tenants.other),
      await t.app.customers.get(t.tenants.other, foreign.customer),
      await t.app.flows.list(t.tenants.other),
      await t.app.routing.queues(t.tenants.other),
      await t.app.routing.agents(t.tenants.other),
      await t.app.numbers.list(t.tenants.other),
      await t.app.prompts.list(t.tenants.other),
      await t.app.interactions.store.get(t.tenants.other, foreign.interaction),
      await t.app.tickets.get(t.tenants.other, foreignTicket),
      await t.app.tickets.history(t.tenants.other, foreignTicket),
      await t.app.tickets.comments(t.tenants.other, foreignTicket),
      await t.app.tickets.types(t.tenants.other),
      await t.app.tickets.policies(t.tenants.other, foreignTicketType),
      await t.app.webhooks.list(t.tenants.other),
      await t.app.webhooks.deliveries(t.tenants.other, foreignWebhook, {}),
      await t.app.customerLookup.config(t.tenants.other),
    ]);

    before(async () => {
      t = await startTestApp(dialect);
      const users = await t.app.directory.listUsers(t.tenants.other);
      foreignUser = users.find((u) => u.username === 'o-agent')!.id;
      foreignTeam = (await t.app.directory.listTeams(t.tenants.other))[0]!.id;
      const oAdmin = users.find((u) => u.username === 'o-admin')!;
      foreignToken = (await t.app.auth.createToken({ principal: { kind: 'session', tenantId: t.tenants.other, userId: oAdmin.id, name: 'o-admin', roles: ['admin'], permissions: ['users.read'], credentialId: 'x' }, ip: null }, { name: 'foreign', permissions: ['users.read'] })).id;
      foreignPhone = (await t.app.phones.create(t.tenants.other, { username: '1001', displayName: 'Their desk phone', password: 'their long secret', userId: foreignUser })).id;
      foreignTrunk = (await t.app.trunks.create(t.tenants.other, { name: 'their carrier', host: 'sip.their.example', username: 'u', password: 'their secret' })).id;
      const o = t.tenants.other;
      const week = { mon: [{ start: '09:00', end: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
      const tone = new Int16Array(8000).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
      foreign = {
        calendar: (await t.app.calendars.create(o, { name: 'their hours', timeZone: 'Asia/Taipei', weekly: week })).id,
        customer: (await t.app.customers.create(o, { name: 'Their customer', identities: [{ kind: 'phone', value: '+886223456789' }] })).id,
        flow: (await t.app.flows.create(o, { name: 'their flow', document: { start: 'x', defaultLanguage: 'en', nodes: { x: { type: 'hangup' } } } })).id,
        queue: (await t.app.routing.saveQueue(o, { name: 'their queue', settings: {} })).id,
        number: (await t.app.numbers.create(o, { number: '+886255550000' })).id,
        prompt: (await t.app.prompts.upload(o, 'their prompt', encodeWav(tone, 8000, 1))).id,
        interaction: 'their-interaction',
        recording: 'their-recording',
      };
      const theirRecording = await t.app.media!.recordings.create(o, foreign.recording);
      const theirWav = encodeWav(tone, 8000, 1);
      await theirRecording.append(theirWav.subarray(44));
      await theirRecording.finish(theirWav.subarray(0, 44));
      await t.app.interactions.store.create(o, {
        id: foreign.interaction, channel: 'voice', direction: 'inbound', customer_address: '+886223456789', customer_id: null, dialled: '+886255550000', flow_id: null,
        language: null, queue_id: null, agent_id: null, arrived_at: '2026-11-22T01:00:00.000Z', ivr_entered_at: null, ivr_left_at: null, queued_at: null,
        first_offered_at: null, answered_at: null, ended_at: null, wrap_up_ended_at: null, outcome: null, ended_by: null, disposition: null, notes: null,
        recording_id: null, ivr_path: null, updated_at: '2026-11-22T01:00:00.000Z',
      });
      foreignTicketType = (await t.app.tickets.types(o))[0]!.id;
      foreignTicket = (await t.app.tickets.create(o, { type: foreignTicketType, subject: 'Their ticket', watcherIds: [foreignUser] })).id;
      await t.app.tickets.comment(o, foreignTicket, { body: 'their comment' }, { userId: foreignUser, name: 'o-agent', ip: null });
      foreignWebhook = (await t.app.webhooks.create(o, { url: 'http://127.0.0.1:9/their-hook', events: ['CustomersMerged'], allowPrivateNetwork: true })).id;
      foreignDelivery = (await t.app.webhooks.ping(o, foreignWebhook)).id;
      await t.app.webhooks.settled();
      await t.app.webhooks.update(o, foreignWebhook, { active: false });
      await t.app.customerLookup.configure(o, { urlTemplate: 'https://crm.their.example/customers?phone={{phone}}', headers: { 'X-Api-Key': 'their key' } });
      cookie = await login(t, 'demo', 'admin');
    });
    after(async () => { await t.close(); });

    // Every route with an :id, called by the demo admin (who holds every permission) with the other tenant's ids.
    type Kind = 'user' | 'team' | 'token' | 'phone' | 'trunk' | 'calendar' | 'customer' | 'flow' | 'queue' | 'number' | 'prompt' | 'interaction' | 'recording' | 'ticket' | 'ticketType' | 'webhook' | 'webhookDelivery';
    const week = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const ID_ROUTES: Record<string, { kind: Kind; payload?: object }> = {
      'GET /api/users/:id': { kind: 'user' },
      'PATCH /api/users/:id': { kind: 'user', payload: { displayName: 'hijacked', password: 'another long password' } },
      'POST /api/users/:id/disable': { kind: 'user' },
      'POST /api/users/:id/enable': { kind: 'user' },
      'GET /api/teams/:id': { kind: 'team' },
      'PATCH /api/teams/:id': { kind: 'team', payload: { name: 'hijacked' } },
      'DELETE /api/teams/:id': { kind: 'team' },
      'DELETE /api/tokens/:id': { kind: 'token' },
      'PUT /api/phones/:id/password': { kind: 'phone', payload: { password: 'hijacked secret!' } },
      'DELETE /api/phones/:id': { kind: 'phone' },
      'DELETE /api/trunks/:id': { kind: 'trunk' },
      'GET /api/calendars/:id': { kind: 'calendar' },
      'PUT /api/calendars/:id': { kind: 'calendar', payload: { name: 'hijacked', timeZone: 'Asia/Shanghai', weekly: week } },
      'DELETE /api/calendars/:id': { kind: 'calendar' },
      'GET /api/calendars/:id/status': { kind: 'calendar' },
      'GET /api/customers/:id': { kind: 'customer' },
      'PATCH /api/customers/:id': { kind: 'customer', payload: { name: 'hijacked' } },
      'DELETE /api/customers/:id': { kind: 'customer', payload: { reason: 'hijacked' } },
      'POST /api/customers/:id/identities': { kind: 'customer', payload: { kind: 'email', value: 'hijack@example.com' } },
      'DELETE /api/customers/:id/identities/:identityId': { kind: 'customer' },
      'POST /api/customers/:id/notes': { kind: 'customer', payload: { body: 'hijacked' } },
      'GET /api/customers/:id/timeline': { kind: 'customer' },
      'POST /api/customers/:id/merge': { kind: 'customer', payload: { customerId: '00000000-0000-4000-8000-000000000009' } },
      'PUT /api/customers/:id/legal-hold': { kind: 'customer', payload: { reason: 'hijacked' } },
      'PATCH /api/numbers/:id': { kind: 'number', payload: { label: 'hijacked' } },
      'DELETE /api/numbers/:id': { kind: 'number' },
      'GET /api/flows/:id': { kind: 'flow' },
      'GET /api/flows/:id/versions/:version': { kind: 'flow' },
      'POST /api/flows/:id/versions': { kind: 'flow', payload: { document: { start: 'x', defaultLanguage: 'en', nodes: { x: { type: 'hangup' } } } } },
      'POST /api/flows/:id/publish': { kind: 'flow', payload: {} },
      'DELETE /api/flows/:id': { kind: 'flow' },
      'DELETE /api/prompts/:id': { kind: 'prompt' },
      'GET /api/prompts/:id/audio': { kind: 'prompt' },
      'GET /api/queues/:id': { kind: 'queue' },
      'PATCH /api/queues/:id': { kind: 'queue', payload: { name: 'hijacked' } },
      'DELETE /api/queues/:id': { kind: 'queue' },
      'PUT /api/agents/:id/state': { kind: 'user', payload: { state: 'Available' } },
      'PUT /api/agents/:id/profile': { kind: 'user', payload: { skills: { hijacked: 5 } } },
      'GET /api/interactions/:id': { kind: 'interaction' },
      'GET /api/tickets/types/:id': { kind: 'ticketType' },
      'PUT /api/tickets/types/:id': { kind: 'ticketType', payload: { key: 'hijacked', name: 'hijacked', workflow: { initial: 'a', statuses: [{ key: 'a', name: 'A', category: 'open' }], transitions: [] } } },
      'DELETE /api/tickets/types/:id': { kind: 'ticketType' },
      'GET /api/tickets/types/:id/sla-policies': { kind: 'ticketType' },
      'PUT /api/tickets/types/:id/sla-policies': { kind: 'ticketType', payload: { items: [{ priority: 'normal', calendarId: null, firstResponseMinutes: 1, resolutionMinutes: null, warnAtPercent: null }] } },
      'GET /api/tickets/:id': { kind: 'ticket' },
      'PATCH /api/tickets/:id': { kind: 'ticket', payload: { subject: 'hijacked' } },
      'GET /api/tickets/:id/comments': { kind: 'ticket' },
      'POST /api/tickets/:id/comments': { kind: 'ticket', payload: { body: 'hijacked' } },
      'GET /api/tickets/:id/attachments': { kind: 'ticket' },
      'POST /api/tickets/:id/attachments': { kind: 'ticket', payload: { hijacked: true } },
      'GET /api/tickets/:id/attachments/:attachmentId': { kind: 'ticket' },
      'PUT /api/tickets/:id/watchers/:userId': { kind: 'ticket' },
      'DELETE /api/tickets/:id/watchers/:userId': { kind: 'ticket' },
      'GET /api/tickets/:id/history': { kind: 'ticket' },
      'POST /api/calls/:id/hold': { kind: 'interaction', payload: { held: true } },
      'POST /api/calls/:id/recording': { kind: 'interaction', payload: { paused: true } },
      'POST /api/calls/:id/transfer': { kind: 'interaction', payload: { target: { number: '+8613800138000' } } },
      'GET /api/wallboard/queues/:id': { kind: 'queue' },
      'POST /api/interactions/:id/survey': { kind: 'interaction', payload: { score: 5 } },
      'PATCH /api/desktop/interactions/:id': { kind: 'interaction', payload: { notes: 'hijacked' } },
      'GET /api/desktop/interactions/:id/recording': { kind: 'interaction' },
      'GET /api/recordings/:id/audio': { kind: 'recording' },
      'POST /api/calls/:id/mute': { kind: 'interaction', payload: { muted: true } },
      'POST /api/calls/:id/dtmf': { kind: 'interaction', payload: { digits: '1' } },
      'POST /api/calls/:id/hangup': { kind: 'interaction' },
      'POST /api/calls/:id/consult': { kind: 'interaction', payload: { target: { extension: '1002' } } },
      'POST /api/calls/:id/consult/complete': { kind: 'interaction' },
      'POST /api/calls/:id/consult/cancel': { kind: 'interaction' },
      'POST /api/calls/:id/conference': { kind: 'interaction', payload: { target: { extension: '1002' } } },
      'DELETE /api/calls/:id/conference': { kind: 'interaction' },
      'POST /api/calls/:id/monitor': { kind: 'interaction', payload: { mode: 'listen' } },
      'PUT /api/calls/:id/monitor': { kind: 'interaction', payload: { mode: 'barge' } },
      'DELETE /api/calls/:id/monitor': { kind: 'interaction' },
      'GET /api/webhooks/:id': { kind: 'webhook' },
      'PATCH /api/webhooks/:id': { kind: 'webhook', payload: { url: 'https://hijack.example.com/', active: true } },
      'DELETE /api/webhooks/:id': { kind: 'webhook' },
      'POST /api/webhooks/:id/secret': { kind: 'webhook' },
      'POST /api/webhooks/:id/ping': { kind: 'webhook' },
      'GET /api/webhooks/:id/deliveries': { kind: 'webhook' },
      'GET /api/webhooks/deliveries/:id': { kind: 'webhookDelivery' },
      'POST /api/webhooks/deliveries/:id/redeliver': { kind: 'webhookDelivery' },
    };

    test('the table covers every route that takes an id', () => {
      const withId = routeRules(t.app.http).filter((r) => r.url.includes(':id')).map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(withId, Object.keys(ID_ROUTES).sort());
    });

    for (const [key, c] of Object.entries(ID_ROUTES)) {
      test(`${key} with a foreign id answers exactly like a missing id, and changes nothing`, async () => {
        const [method, path] = key.split(' ') as [string, string];
        const theirs = { user: foreignUser, team: foreignTeam, token: foreignToken, phone: foreignPhone, trunk: foreignTrunk, ticket: foreignTicket, ticketType: foreignTicketType, webhook: foreignWebhook, webhookDelivery: foreignDelivery, ...foreign }[c.kind];
        const before = await snapshot();
        const url = (id: string) => path.replace(':id', id).replace(':version', '1').replace(':identityId', NEVER).replace(':attachmentId', NEVER).replace(':userId', NEVER);
        const call = (id: string) => t.app.http.inject({ method: method as 'GET', url: url(id), headers: { cookie }, ...(c.payload ? { payload: c.payload } : {}) });
        const foreignRes = await call(theirs);
        const missingRes = await call(NEVER);
        assert.equal(foreignRes.statusCode, 404, foreignRes.body);
        assert.equal(foreignRes.body, missingRes.body, 'indistinguishable from a missing id');
        assert.equal(await snapshot(), before, 'the other tenant is untouched');
      });
    }

    test('a task offer of another workspace cannot be accepted or rejected: it answers like an offer that never existed', async () => {
      const o = t.tenants.other;
      const workflow = (await t.app.tickets.types(o))[0]!.workflow;
      const routed = await t.app.tickets.createType(o, { key: 'their-routed', name: 'Their routed type', workflow, queueId: foreign.queue });
      await t.app.routing.setProfile(o, foreignUser, { skills: {}, capacity: { voice: 1, task: 1 } });
      await t.app.routing.setAgentState(o, foreignUser, 'Available');
      const offered = new Promise<string>((resolve) => {
        const off = t.app.bus.subscribe('OfferCreated', (e) => { if (e.tenantId === o && e.channel === 'task') { off(); resolve(e.offerId); } });
      });
      const ticket = await t.app.tickets.create(o, { type: routed.id, subject: 'Their routed ticket' });
      const offerId = await offered;
      const before = await snapshot();
      for (const action of ['accept', 'reject']) {
        const theirs = await t.app.http.inject({ method: 'POST', url: `/api/agents/me/offers/${offerId}/${action}`, headers: { cookie } });
        const never = await t.app.http.inject({ method: 'POST', url: `/api/agents/me/offers/${NEVER}/${action}`, headers: { cookie } });
        assert.equal(theirs.statusCode, never.statusCode, `${action}: ${theirs.body}`);
        assert.equal(theirs.body, never.body, `${action}: indistinguishable from a missing offer`);
      }
      await t.app.ticketChannel.settled();
      assert.equal(await snapshot(), before, 'the other tenant is untouched');
      assert.equal(t.app.routing.offer(o, offerId)?.agentId, foreignUser, 'their offer still stands');
      assert.equal((await t.app.tickets.get(o, ticket.id)).assigneeUserId, null);
    });

    test('lists show only the caller\'s tenant', async () => {
      const users = (await t.app.http.inject({ method: 'GET', url: '/api/users', headers: { cookie } })).json().items as { username: string }[];
      assert.ok(users.length >= 4);
      assert.ok(users.every((u) => !u.username.startsWith('o-')));
      const teams = (await t.app.http.inject({ method: 'GET', url: '/api/teams', headers: { cookie } })).json().items as { name: string }[];
      assert.ok(teams.every((x) => x.name !== 'Other team'));
      const tokens = (await t.app.http.inject({ method: 'GET', url: '/api/tokens', headers: { cookie } })).json().items as { name: string }[];
      assert.ok(tokens.every((x) => x.name !== 'foreign'));
      const audit = (await t.app.http.inject({ method: 'GET', url: '/api/audit?limit=500', headers: { cookie } })).json().items as { actorName: string | null; details: Record<string, unknown> }[];
      assert.ok(audit.every((e) => !String(e.actorName ?? '').startsWith('o-') && !String(e.details['username'] ?? '').startsWith('o-')));
    });

    test('phones: lists are scoped, a foreign user cannot own a phone, the same extension lives in two tenants', async () => {
      const phones = (await t.app.http.inject({ method: 'GET', url: '/api/phones', headers: { cookie } })).json().items as { displayName: string }[];
      assert.ok(phones.every((p) => p.displayName !== 'Their desk phone'));
      const stolen = await t.app.http.inject({ method: 'POST', url: '/api/phones', headers: { cookie }, payload: { username: '2001', displayName: 'X', password: 'long enough secret', userId: foreignUser } });
      assert.equal(stolen.statusCode, 404, stolen.body);
      const ours = (phones as unknown as { username: string }[]).map((p) => p.username);
      assert.ok(ours.includes('1001'), 'the demo tenant has its own 1001');
      assert.deepEqual((await t.app.phones.list(t.tenants.other)).map((p) => p.username), ['1001']);
    });

    test('trunks: the list is scoped and never carries a password', async () => {
      const res = await t.app.http.inject({ method: 'GET', url: '/api/trunks', headers: { cookie } });
      assert.equal(res.statusCode, 200);
      assert.ok(!res.body.includes('their'), 'no foreign trunk');
      await t.app.trunks.create(t.tenants.demo, { name: 'ours', host: 'sip.ours.example', username: 'u', password: 'our secret' });
      const mine = await t.app.http.inject({ method: 'GET', url: '/api/trunks', headers: { cookie } });
      assert.ok(mine.body.includes('sip.ours.example') && !mine.body.includes('our secret') && !mine.body.includes('password'));
    });

    test('a user cannot be added to a foreign team', async () => {
      const res = await t.app.http.inject({
        method: 'POST', url: '/api/users', headers: { cookie },
        payload: { username: 'sneaky', displayName: 'S', password: TEST_PASSWORD, roles: ['agent'], teamIds: [foreignTeam] },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().details.field, 'teamIds');
    });

    test('the same username can exist in two tenants without clashing', async () => {
      const otherCookie = await login(t, 'other', 'o-admin');
      const res = await t.app.http.inject({ method: 'POST', url: '/api/users', headers: { cookie: otherCookie }, payload: { username: 'admin', displayName: 'Their admin', password: TEST_PASSWORD, roles: ['agent'] } });
      assert.equal(res.statusCode, 201, res.body);
      const me = (await t.app.http.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json();
      assert.equal(me.displayName, 'Ada Admin');
    });
  });
}
