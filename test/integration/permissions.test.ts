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
