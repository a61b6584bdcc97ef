// No API route returns, changes or even confirms the existence of another tenant's data:
// a foreign id answers exactly what an id that never existed answers (404).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testStorageTargets } from '../../src/storage/index.ts';
import { routeRules } from '../../src/http/index.ts';
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
    let cookie: string;
    const snapshot = async () => JSON.stringify([
      await t.app.directory.listUsers(t.tenants.other),
      await t.app.directory.listTeams(t.tenants.other),
      await t.app.auth.listTokens(t.tenants.other),
      await t.app.phones.list(t.tenants.other),
      await t.app.trunks.list(t.tenants.other),
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
      cookie = await login(t, 'demo', 'admin');
    });
    after(async () => { await t.close(); });

    // Every route with an :id, called by the demo admin (who holds every permission) with the other tenant's ids.
    const ID_ROUTES: Record<string, { kind: 'user' | 'team' | 'token' | 'phone' | 'trunk'; payload?: object }> = {
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
    };

    test('the table covers every route that takes an id', () => {
      const withId = routeRules(t.app.http).filter((r) => r.url.includes(':id')).map((r) => `${r.method} ${r.url}`).sort();
      assert.deepEqual(withId, Object.keys(ID_ROUTES).sort());
    });

    for (const [key, c] of Object.entries(ID_ROUTES)) {
      test(`${key} with a foreign id answers exactly like a missing id, and changes nothing`, async () => {
        const [method, path] = key.split(' ') as [string, string];
        const foreign = { user: foreignUser, team: foreignTeam, token: foreignToken, phone: foreignPhone, trunk: foreignTrunk }[c.kind];
        const before = await snapshot();
        const call = (id: string) => t.app.http.inject({ method: method as 'GET', url: path.replace(':id', id), headers: { cookie }, ...(c.payload ? { payload: c.payload } : {}) });
        const foreignRes = await call(foreign);
        const missingRes = await call(NEVER);
        assert.equal(foreignRes.statusCode, 404, foreignRes.body);
        assert.equal(foreignRes.body, missingRes.body, 'indistinguishable from a missing id');
        assert.equal(await snapshot(), before, 'the other tenant is untouched');
      });
    }

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
