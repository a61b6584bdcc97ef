// The tickets API over the real app (real storage on each dialect, real access control, the app's own
// clock, calendars, CRM and scheduler): API tokens, idempotent create, workflow and field errors,
// attachments over HTTP, SLA breaches with escalation, lists, watchers, history, the customer timeline.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testStorageTargets } from '../../src/storage/index.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const MIN = 60_000;
const FULL_DAY = [{ start: '00:00', end: '24:00' }];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

for (const dialect of testStorageTargets()) {
  describe(`tickets API (${dialect})`, () => {
    let t: TestApp;
    let admin: string;
    let agent: string;
    let token: string;
    const call = (auth: string, method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
      const who = auth.startsWith('sbt_') ? { authorization: `Bearer ${auth}` } : { cookie: auth };
      return t.app.http.inject({ method, url, headers: { ...who, ...headers }, ...(payload === undefined ? {} : Buffer.isBuffer(payload) || typeof payload === 'string' ? { payload } : { payload: payload as object }) });
    };

    before(async () => {
      t = await startTestApp(dialect);
      admin = await login(t, 'demo', 'admin');
      agent = await login(t, 'demo', 'agent1');
      const created = await call(admin, 'POST', '/api/tokens', { name: 'helpdesk integration', permissions: ['tickets.read', 'tickets.write'] });
      assert.equal(created.statusCode, 201, created.body);
      token = created.json().token;
    });
    after(async () => { await t.close(); });

    test('an integration with an API token opens a ticket once per Idempotency-Key', async () => {
      const body = { type: 'complaint', subject: 'Parcel arrived damaged', category: 'delivery', priority: 'high', fields: { compensation: 50 } };
      const first = await call(token, 'POST', '/api/tickets', body, { 'idempotency-key': 'form-42' });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const again = await call(token, 'POST', '/api/tickets', body, { 'idempotency-key': 'form-42' });
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.json().id, first.json().id);
      const changed = await call(token, 'POST', '/api/tickets', { ...body, subject: 'Other' }, { 'idempotency-key': 'form-42' });
      assert.equal(changed.statusCode, 422);
      assert.equal(changed.json().code, 'SB_TICKETS_IDEMPOTENCY_MISMATCH');
      const manage = await call(token, 'POST', '/api/tickets/types', { key: 'x', name: 'x', workflow: { initial: 'a', statuses: [{ key: 'a', name: 'A', category: 'open' }], transitions: [] } });
      assert.equal(manage.statusCode, 403, 'the token holds only what it was given');
      assert.equal((await call(token, 'GET', `/api/tickets/${first.json().id}`)).json().createdBy.name, 'token:helpdesk integration');
    });

    test('bad input: a forbidden transition is a 409 listing the allowed; a wrong field a 400 naming it', async () => {
      const created = (await call(agent, 'POST', '/api/tickets', { subject: 'Password reset' })).json();
      const forbidden = await call(agent, 'PATCH', `/api/tickets/${created.id}`, { status: 'closed' });
      assert.equal(forbidden.statusCode, 409);
      assert.deepEqual(forbidden.json(), {
        code: 'SB_TICKETS_TRANSITION_FORBIDDEN', message: 'a ticket cannot go from new to closed; allowed: assigned, in_progress',
        details: { from: 'new', to: 'closed', allowed: ['assigned', 'in_progress'] },
      });
      const unknownField = await call(agent, 'POST', '/api/tickets', { type: 'repair', subject: 'x', fields: { colour: 'red' } });
      assert.deepEqual([unknownField.statusCode, unknownField.json().code, unknownField.json().details.field], [400, 'SB_VALIDATION', 'fields.colour']);
      assert.match(unknownField.json().message, /fields\.colour is not a field of this ticket type/);
      const wrongType = await call(agent, 'POST', '/api/tickets', { type: 'repair', subject: 'x', fields: { visit_date: 7 } });
      assert.deepEqual([wrongType.statusCode, wrongType.json().details.field], [400, 'fields.visit_date']);
      const extra = await call(agent, 'PATCH', `/api/tickets/${created.id}`, { owner: 'me' });
      assert.deepEqual([extra.statusCode, extra.json().details.field], [400, 'owner']);
      const foreignUser = (await t.app.directory.listUsers(t.tenants.other))[0]!.id;
      const assign = await call(agent, 'PATCH', `/api/tickets/${created.id}`, { assigneeUserId: foreignUser });
      assert.deepEqual([assign.statusCode, assign.json().details.field], [400, 'assigneeUserId']);
      const moved = await call(agent, 'PATCH', `/api/tickets/${created.id}`, { status: 'in_progress', priority: 'low' });
      assert.deepEqual([moved.statusCode, moved.json().status, moved.json().priority], [200, 'in_progress', 'low']);
    });

    test('attachments: sniffed type, sanitized name, 413 and 415 with a message, download as an attachment', async () => {
      const id = (await call(agent, 'POST', '/api/tickets', { subject: 'Invoice question' })).json().id;
      const up = await call(agent, 'POST', `/api/tickets/${id}/attachments?name=${encodeURIComponent('../发票 March.pdf')}`, PDF, { 'content-type': 'image/png' });
      assert.equal(up.statusCode, 201, up.body);
      assert.deepEqual([up.json().name, up.json().mime, up.json().size], ['发票 March.pdf', 'application/pdf', PDF.length]);
      const down = await call(agent, 'GET', `/api/tickets/${id}/attachments/${up.json().id}`);
      assert.equal(down.statusCode, 200);
      assert.equal(down.headers['content-type'], 'application/pdf');
      assert.match(String(down.headers['content-disposition']), /^attachment; filename="\?\? March\.pdf"; filename\*=UTF-8''%E5%8F%91%E7%A5%A8%20March\.pdf$/);
      assert.deepEqual(down.rawPayload, PDF);
      const script = await call(agent, 'POST', `/api/tickets/${id}/attachments?name=run.txt`, Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(60, 1)]), { 'content-type': 'text/plain' });
      assert.equal(script.statusCode, 415);
      assert.equal(script.json().code, 'SB_TICKETS_ATTACHMENT_TYPE');
      assert.match(script.json().message, /application\/x-elf are not accepted/);
      const max = t.app.tickets.attachmentLimits.maxBytes;
      const big = await call(agent, 'POST', `/api/tickets/${id}/attachments?name=big.txt`, Buffer.alloc(max + 1, 0x61), { 'content-type': 'text/plain' });
      assert.equal(big.statusCode, 413);
      assert.deepEqual([big.json().code, big.json().details.maxBytes], ['SB_TICKETS_ATTACHMENT_TOO_LARGE', max]);
      assert.match(big.json().message, /at most 10485760 bytes/);
      const empty = await call(agent, 'POST', `/api/tickets/${id}/attachments?name=x`);
      assert.equal(empty.statusCode, 400);
      assert.deepEqual((await call(agent, 'GET', `/api/tickets/${id}/attachments`)).json().items.map((a: { id: string }) => a.id), [up.json().id]);
    });

    test('SLA: a breach at its instant escalates to a team, is reported, and marks the ticket breached', async () => {
      const team = await t.app.directory.createTeam(t.tenants.demo, { name: 'Escalations' });
      const cal = await call(admin, 'POST', '/api/calendars', { name: 'Always', timeZone: 'Asia/Shanghai', weekly: { mon: FULL_DAY, tue: FULL_DAY, wed: FULL_DAY, thu: FULL_DAY, fri: FULL_DAY, sat: FULL_DAY, sun: FULL_DAY } });
      const types = (await call(admin, 'GET', '/api/tickets/types')).json().items as { id: string; key: string }[];
      const repair = types.find((x) => x.key === 'repair')!;
      const policies = await call(admin, 'PUT', `/api/tickets/types/${repair.id}/sla-policies`, {
        items: [{ priority: 'urgent', calendarId: cal.json().id, firstResponseMinutes: 30, resolutionMinutes: 240, warnAtPercent: 50, escalation: { assigneeTeamId: team.id, notifySupervisors: true } }],
      });
      assert.equal(policies.statusCode, 200, policies.body);
      const breaches: unknown[] = [];
      const off = t.app.bus.subscribe('TicketSlaBreached', (e) => breaches.push(e));
      const created = (await call(agent, 'POST', '/api/tickets', { type: 'repair', subject: 'Gas smell', priority: 'urgent' })).json();
      const dueAt = new Date(t.clock.now() + 30 * MIN).toISOString();
      assert.deepEqual([created.sla.firstResponse.state, created.sla.firstResponse.dueAt], ['running', dueAt]);
      t.clock.advance(30 * MIN);
      await t.app.tickets.settled();
      off();
      assert.deepEqual(breaches.map((e) => (e as { at: string; ticketId: string }).ticketId === created.id && (e as { at: string }).at), [dueAt]);
      const now = (await call(agent, 'GET', `/api/tickets/${created.id}`)).json();
      assert.deepEqual([now.assigneeTeamId, now.breached, now.sla.firstResponse.state], [team.id, true, 'breached']);
      const report = (await call(agent, 'GET', '/api/tickets/sla-breaches?metric=first_response')).json();
      assert.deepEqual(report.items.map((b: { ticketId: string; dueAt: string }) => [b.ticketId, b.dueAt]), [[created.id, dueAt]]);
      const breached = (await call(agent, 'GET', '/api/tickets?breached=true')).json().items.map((x: { id: string }) => x.id);
      assert.deepEqual(breached, [created.id]);
      const history = (await call(agent, 'GET', `/api/tickets/${created.id}/history`)).json().items as { field: string; actor: { name: string } }[];
      assert.deepEqual(history.filter((h) => h.actor.name === 'SLA').map((h) => h.field), ['sla.first_response', 'assigneeTeamId']);
    });

    test('lists page with a cursor and filter by assignee, customer, type and updated-since', async () => {
      const me = (await call(agent, 'GET', '/api/auth/me')).json().id;
      const customer = (await call(agent, 'POST', '/api/customers', { name: 'Zhou' })).json().id;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await call(agent, 'POST', '/api/tickets', { type: 'inquiry', subject: `Paged ${i}`, assigneeUserId: me, customerId: customer });
        ids.push(r.json().id);
      }
      const since = new Date(t.clock.now()).toISOString();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `/api/tickets?assignee=${me}&customer=${customer}&type=inquiry&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await call(agent, 'GET', q)).json() as { items: { id: string }[]; nextCursor: string | null };
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((x) => x.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [...ids].reverse());
      t.clock.advance(MIN);
      const later = encodeURIComponent(new Date(Date.parse(since) + 1).toISOString());
      assert.deepEqual((await call(agent, 'GET', `/api/tickets?customer=${customer}&updatedSince=${later}`)).json().items, []);
      await call(agent, 'POST', `/api/tickets/${ids[2]}/comments`, { body: 'Looking into it' });
      await call(agent, 'PATCH', `/api/tickets/${ids[3]}`, { status: 'assigned' });
      const changed = (await call(agent, 'GET', `/api/tickets?customer=${customer}&updatedSince=${later}`)).json().items;
      assert.deepEqual(changed.map((x: { id: string }) => x.id), [ids[3], ids[2]], 'a comment is a change too');
      const bad = await call(agent, 'GET', '/api/tickets?breached=maybe');
      assert.deepEqual([bad.statusCode, bad.json().details.field], [400, 'breached']);
    });

    test('watchers, comments and the customer timeline', async () => {
      const customer = (await call(agent, 'POST', '/api/customers', { name: '陈静' })).json().id;
      const ticket = (await call(agent, 'POST', '/api/tickets', { type: 'complaint', subject: 'Wrong size delivered', customerId: customer })).json();
      const sup = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'supervisor')!.id;
      const watched = await call(agent, 'PUT', `/api/tickets/${ticket.id}/watchers/${sup}`);
      assert.deepEqual(watched.json().watcherIds, [sup]);
      const nobody = await call(agent, 'PUT', `/api/tickets/${ticket.id}/watchers/00000000-0000-4000-8000-000000000000`);
      assert.equal(nobody.statusCode, 404);
      const note = await call(agent, 'POST', `/api/tickets/${ticket.id}/comments`, { body: 'customer is upset', visibility: 'internal' });
      assert.equal(note.statusCode, 201);
      t.clock.advance(MIN);
      const reply = await call(agent, 'POST', `/api/tickets/${ticket.id}/comments`, { body: 'A replacement is on its way' });
      assert.equal(reply.json().author.name, 'agent1');
      assert.equal((await call(agent, 'GET', `/api/tickets/${ticket.id}`)).json().firstRespondedAt, reply.json().at);
      assert.equal((await call(agent, 'DELETE', `/api/tickets/${ticket.id}/watchers/${sup}`)).json().watcherIds.length, 0);
      const timeline = (await call(agent, 'GET', `/api/customers/${customer}/timeline`)).json().items as { kind: string; summary: string }[];
      assert.deepEqual(timeline.filter((e) => e.kind === 'ticket').map((e) => e.summary), [
        `Ticket #${ticket.number}: A replacement is on its way`, `Ticket #${ticket.number} opened: Wrong size delivered`,
      ]);
    });

    test('the OpenAPI document describes every ticket route with its schemas', async () => {
      const doc = (await t.app.http.inject({ method: 'GET', url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown; responses?: Record<string, unknown> }>> };
      const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/tickets'));
      assert.equal(paths.length, 11);
      assert.ok(doc.paths['/api/tickets']!['post']!.requestBody, 'create has a body schema');
      assert.ok(doc.paths['/api/tickets/{id}']!['patch']!.responses!['200'], 'patch has a response schema');
      for (const p of paths) for (const op of Object.values(doc.paths[p]!)) assert.deepEqual(op.tags, ['tickets'], p);
    });
  });
}
