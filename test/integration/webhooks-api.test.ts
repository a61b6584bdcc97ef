// Webhooks and the external customer lookup through the real app and API: an agent's state change
// reaches a real receiver signed; the secret is shown once; the delivery log, ping and redelivery;
// the screen pop asks a real local CRM, caches, times out on the app's clock, never shows the API key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { testStorageTargets } from '../../src/storage/index.ts';
import { verifySignature } from '../../src/webhooks/index.ts';
import { TestReceiver } from '../../src/webhooks/test-receiver.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

const API_KEY = 'crm-api-key-never-shown-7731';

for (const dialect of testStorageTargets()) {
  describe(`webhooks and customer lookup API (${dialect})`, () => {
    let t: TestApp;
    let admin: string;
    let agent: string;
    let rx: TestReceiver;
    let crm: Server;
    let crmPort = 0;
    const crmSockets = new Set<Socket>();
    const crmSeen: { url: string; headers: IncomingHttpHeaders }[] = [];
    const crmHeld: ServerResponse[] = [];

    before(async () => {
      t = await startTestApp(dialect);
      admin = await login(t, 'demo', 'admin');
      agent = await login(t, 'demo', 'agent1');
      rx = await TestReceiver.start();
      crm = createServer((req, res) => {
        crmSeen.push({ url: req.url!, headers: req.headers });
        const phone = new URL(req.url!, 'http://x').searchParams.get('phone');
        if (phone === '+8613800138000') res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"Mei Chen","orders":3}');
        else if (phone === '+8613900000000') crmHeld.push(res);
        else res.writeHead(404).end();
      });
      crm.on('connection', (s) => { crmSockets.add(s); s.on('close', () => crmSockets.delete(s)); });
      await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
      crmPort = (crm.address() as AddressInfo).port;
    });
    after(async () => {
      await t.close();
      await rx.close();
      for (const s of crmSockets) s.destroy();
      await new Promise<void>((resolve) => crm.close(() => resolve()));
    });

    const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: object) =>
      t.app.http.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

    test('a subscription\'s secret is shown once; an agent\'s state change arrives signed; log, ping, redelivery and rotation', async () => {
      const events = await call('GET', '/api/webhooks/events', admin);
      assert.ok((events.json().items as { type: string }[]).some((e) => e.type === 'TicketSlaBreached'));

      const refused = await call('POST', '/api/webhooks', admin, { url: 'http://127.0.0.1:9/x', events: ['AgentStateChanged'] });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().code, 'SB_WEBHOOKS_URL_PRIVATE');
      assert.equal(refused.json().details.field, 'url');
      const unknown = await call('POST', '/api/webhooks', admin, { url: 'https://hooks.example.com/', events: ['CallArrived'] });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().code, 'SB_VALIDATION');

      const created = await call('POST', '/api/webhooks', admin, { url: rx.url('/in'), events: ['AgentStateChanged'], description: 'ERP', allowPrivateNetwork: true });
      assert.equal(created.statusCode, 201, created.body);
      const sub = created.json() as { id: string; secret: string; active: boolean };
      assert.match(sub.secret, /^whsec_/);
      assert.equal(sub.active, true);
      for (const res of [
        await call('GET', '/api/webhooks', admin), await call('GET', `/api/webhooks/${sub.id}`, admin),
        await call('PATCH', `/api/webhooks/${sub.id}`, admin, { description: 'ERP orders' }),
      ]) {
        assert.equal(res.statusCode, 200, res.body);
        assert.ok(!res.body.includes(sub.secret) && !res.body.includes('"secret"'), 'never shown again');
      }

      const agentId = (await call('GET', '/api/auth/me', agent)).json().id as string;
      const state = await call('PUT', '/api/agents/me/state', agent, { state: 'NotReady', reason: 'break' });
      assert.equal(state.statusCode, 200, state.body);
      await t.app.webhooks.settled();
      const got = rx.requests.find((r) => JSON.parse(r.body).data.agentId === agentId);
      assert.ok(got, 'the receiver got the event');
      assert.equal(got.headers['switchboard-event'], 'AgentStateChanged');
      assert.equal(got.path, '/in');
      assert.equal(verifySignature({ header: String(got.headers['switchboard-signature']), body: got.body, secret: sub.secret, now: t.clock.now() }), true);
      const envelope = JSON.parse(got.body) as { tenantId: string; data: { state: string; reason: string } };
      assert.equal(envelope.tenantId, t.tenants.demo);
      assert.deepEqual([envelope.data.state, envelope.data.reason], ['NotReady', 'break']);

      const log = await call('GET', `/api/webhooks/${sub.id}/deliveries?limit=50`, admin);
      assert.equal(log.statusCode, 200);
      const delivery = (log.json().items as { id: string; status: string; lastStatusCode: number }[]).find((d) => d.id === got.headers['switchboard-delivery'])!;
      assert.deepEqual([delivery.status, delivery.lastStatusCode], ['delivered', 200]);
      const one = await call('GET', `/api/webhooks/deliveries/${delivery.id}`, admin);
      assert.equal(one.json().payload.type, 'AgentStateChanged');

      const ping = await call('POST', `/api/webhooks/${sub.id}/ping`, admin);
      assert.equal(ping.statusCode, 202, ping.body);
      const again = await call('POST', `/api/webhooks/deliveries/${delivery.id}/redeliver`, admin);
      assert.equal(again.statusCode, 202, again.body);
      assert.notEqual(again.json().id, delivery.id);
      await t.app.webhooks.settled();
      assert.ok(rx.requests.some((r) => r.headers['switchboard-event'] === 'WebhookPing' && r.headers['switchboard-delivery'] === ping.json().id));
      const resent = rx.requests.find((r) => r.headers['switchboard-delivery'] === again.json().id);
      assert.equal(resent?.body, got.body, 'the same event body');
      const failedOnly = await call('GET', `/api/webhooks/${sub.id}/deliveries?status=failed`, admin);
      assert.deepEqual(failedOnly.json().items, []);

      const rotated = await call('POST', `/api/webhooks/${sub.id}/secret`, admin);
      assert.equal(rotated.statusCode, 200);
      assert.notEqual(rotated.json().secret, sub.secret);
      const audit = await call('GET', '/api/audit?limit=200', admin);
      assert.match(audit.body, /webhook\.created/);
      assert.ok(!audit.body.includes(sub.secret) && !audit.body.includes(rotated.json().secret));

      assert.equal((await call('DELETE', `/api/webhooks/${sub.id}`, admin)).statusCode, 204);
      assert.equal((await call('GET', `/api/webhooks/${sub.id}`, admin)).statusCode, 404);
    });

    test('the screen pop asks the company\'s CRM with the stored API key, caches, and never shows the key', async () => {
      const notYet = await call('GET', '/api/integrations/customer-lookup?phone=%2B8613800138000', agent);
      assert.deepEqual(notYet.json(), { ok: false, reason: 'not-configured' });
      assert.equal((await call('GET', '/api/integrations/lookup', admin)).statusCode, 404);

      const bad = await call('PUT', '/api/integrations/lookup', admin, { urlTemplate: 'https://{{phone}}.crm.example/' });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'SB_INTEGRATIONS_URL_INVALID');
      const urlTemplate = `http://127.0.0.1:${crmPort}/api/customers?phone={{phone}}`;
      const saved = await call('PUT', '/api/integrations/lookup', admin, { urlTemplate, headers: { 'X-Api-Key': API_KEY }, timeoutMs: 2000, allowPrivateNetwork: true });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json().headerNames, ['X-Api-Key']);
      const shown = await call('GET', '/api/integrations/lookup', admin);
      assert.equal(shown.json().urlTemplate, urlTemplate);
      for (const res of [saved, shown]) assert.ok(!res.body.includes(API_KEY));

      const first = await call('GET', '/api/integrations/customer-lookup?phone=%2B8613800138000', agent);
      assert.deepEqual(first.json(), { ok: true, data: { name: 'Mei Chen', orders: 3 }, cached: false });
      assert.equal(crmSeen.at(-1)!.headers['x-api-key'], API_KEY);
      const second = await call('GET', '/api/integrations/customer-lookup?phone=%2B8613800138000', agent);
      assert.equal(second.json().cached, true);
      assert.deepEqual((await call('GET', '/api/integrations/customer-lookup?phone=%2B8613811111111', agent)).json(), { ok: false, reason: 'not-found' });

      const other = await login(t, 'other', 'o-agent');
      assert.deepEqual((await call('GET', '/api/integrations/customer-lookup?phone=%2B8613800138000', other)).json(), { ok: false, reason: 'not-configured' }, 'one tenant\'s lookup is not another\'s');

      const asked = crmSeen.length;
      const slow = call('GET', '/api/integrations/customer-lookup?phone=%2B8613900000000', agent);
      while (crmSeen.length === asked) await new Promise((resolve) => setImmediate(resolve));
      t.clock.advance(2000);
      assert.deepEqual((await slow).json(), { ok: false, reason: 'timeout' });

      const tested = await call('POST', '/api/integrations/lookup/test', admin, { phone: '+8613800138000' });
      assert.deepEqual(tested.json(), { ok: true, data: { name: 'Mei Chen', orders: 3 }, cached: false, detail: 'answered 200' });
      const audit = await call('GET', '/api/audit?limit=200', admin);
      assert.match(audit.body, /integrations\.lookup_configured/);
      assert.ok(!audit.body.includes(API_KEY));

      assert.equal((await call('DELETE', '/api/integrations/lookup', admin)).statusCode, 204);
      assert.deepEqual((await call('GET', '/api/integrations/customer-lookup?phone=%2B8613800138000', agent)).json(), { ok: false, reason: 'not-configured' });
      for (const res of crmHeld) res.destroy();
    });
  });
}
