// Login, throttling, two-factor, logout and disable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testStorageTargets } from '../../src/storage/index.ts';
import { totpCode } from '../../src/auth/index.ts';
import { login, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

for (const dialect of testStorageTargets()) {
  describe(`login (${dialect})`, () => {
    let t: TestApp;
    before(async () => { t = await startTestApp(dialect, { SB_LOGIN_MAX_FAILURES_ACCOUNT: '5', SB_LOGIN_MAX_FAILURES_IP: '12', SB_LOGIN_LOCKOUT_MINUTES: '15' }); });
    after(async () => { await t.close(); });

    const attempt = (tenant: string, username: string, password: string, ip: string, totp?: string) =>
      t.app.http.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { tenant, username, password, ...(totp ? { totp } : {}) } });

    test('the session cookie is HttpOnly and SameSite=Strict', async () => {
      const res = await attempt('demo', 'admin', TEST_PASSWORD, '10.0.0.1');
      assert.equal(res.statusCode, 200);
      const c = res.cookies.find((x) => x.name === 'sb_session')!;
      assert.equal(c.httpOnly, true);
      assert.equal(c.sameSite, 'Strict');
      assert.equal(c.path, '/');
    });

    test('an unknown user, an unknown workspace and a wrong password get the same answer', async () => {
      const a = await attempt('demo', 'nobody', 'whatever-password', '10.0.1.1');
      const b = await attempt('demo', 'admin', 'wrong-password-x', '10.0.1.2');
      const c = await attempt('nowhere', 'admin', TEST_PASSWORD, '10.0.1.3');
      for (const r of [a, b, c]) assert.equal(r.statusCode, 401);
      assert.equal(a.body, b.body);
      assert.equal(b.body, c.body);
      assert.equal(a.json().code, 'SB_AUTH_INVALID_CREDENTIALS');
    });

    test('per-account throttling: after 5 failures even the right password is refused, known or unknown alike, until the lockout ends', async () => {
      for (const user of ['supervisor', 'ghost']) {
        for (let i = 0; i < 5; i++) assert.equal((await attempt('demo', user, 'bad-password-1', `10.0.2.${i}`)).statusCode, 401);
      }
      const known = await attempt('demo', 'supervisor', TEST_PASSWORD, '10.0.2.50');
      const unknown = await attempt('demo', 'ghost', TEST_PASSWORD, '10.0.2.51');
      assert.equal(known.statusCode, 429);
      assert.equal(unknown.statusCode, 429);
      assert.equal(known.json().code, 'SB_AUTH_THROTTLED');
      assert.equal(known.json().details.retryAfterSeconds, unknown.json().details.retryAfterSeconds);
      t.clock.advance(15 * 60_000 + 1000);
      assert.equal((await attempt('demo', 'supervisor', TEST_PASSWORD, '10.0.2.52')).statusCode, 200);
    });

    test('per-IP throttling: one address guessing many accounts is locked out', async () => {
      for (let i = 0; i < 12; i++) await attempt('demo', `user${i}`, 'bad-password-1', '10.0.3.1');
      const res = await attempt('demo', 'admin', TEST_PASSWORD, '10.0.3.1');
      assert.equal(res.statusCode, 429);
      assert.equal((await attempt('demo', 'admin', TEST_PASSWORD, '10.0.3.2')).statusCode, 200, 'other addresses are unaffected');
      t.clock.advance(15 * 60_000 + 1000);
    });

    test('failed and successful logins are audited with tenant, actor and IP, without the password', async () => {
      await attempt('demo', 'agent2', 'a-wrong-password', '10.0.4.1');
      await attempt('demo', 'agent2', TEST_PASSWORD, '10.0.4.2');
      const entries = await t.app.audit.list(t.tenants.demo, { limit: 20 });
      const failed = entries.find((e) => e.action === 'auth.login_failed' && e.ip === '10.0.4.1');
      const ok = entries.find((e) => e.action === 'auth.login' && e.ip === '10.0.4.2');
      assert.ok(failed && ok);
      assert.equal(ok.actorName, 'agent2');
      assert.ok(!JSON.stringify(entries).includes('a-wrong-password'));
      assert.ok(!JSON.stringify(entries).includes(TEST_PASSWORD));
    });

    test('two-factor: setup, enable with a code, then login needs a fresh code; a replayed code is refused', async () => {
      const cookie = await login(t, 'demo', 'agent1');
      const setup = await t.app.http.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie } });
      assert.equal(setup.statusCode, 200);
      const { secret, otpauthUrl } = setup.json() as { secret: string; otpauthUrl: string };
      assert.match(otpauthUrl, /^otpauth:\/\/totp\//);
      const wrong = await t.app.http.inject({ method: 'POST', url: '/api/auth/totp/enable', headers: { cookie }, payload: { code: '123456' === totpCode(secret, t.clock.now()) ? '654321' : '123456' } });
      assert.equal(wrong.statusCode, 400);
      const enable = await t.app.http.inject({ method: 'POST', url: '/api/auth/totp/enable', headers: { cookie }, payload: { code: totpCode(secret, t.clock.now()) } });
      assert.equal(enable.statusCode, 204, enable.body);

      const noCode = await attempt('demo', 'agent1', TEST_PASSWORD, '10.0.5.1');
      assert.equal(noCode.statusCode, 401);
      assert.equal(noCode.json().code, 'SB_AUTH_TOTP_REQUIRED');
      const sameStep = await attempt('demo', 'agent1', TEST_PASSWORD, '10.0.5.1', totpCode(secret, t.clock.now()));
      assert.equal(sameStep.json().code, 'SB_AUTH_TOTP_INVALID', 'the code used to enable cannot be replayed');
      t.clock.advance(30_000);
      const ok = await attempt('demo', 'agent1', TEST_PASSWORD, '10.0.5.1', totpCode(secret, t.clock.now()));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().totpEnabled, true);
      const replay = await attempt('demo', 'agent1', TEST_PASSWORD, '10.0.5.1', totpCode(secret, t.clock.now()));
      assert.equal(replay.json().code, 'SB_AUTH_TOTP_INVALID');
    });

    test('logout ends the session', async () => {
      const cookie = await login(t, 'demo', 'admin');
      assert.equal((await t.app.http.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode, 204);
      assert.equal((await t.app.http.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
    });

    test('a session expires after its lifetime', async () => {
      const cookie = await login(t, 'demo', 'admin');
      t.clock.advance(12 * 60 * 60_000 + 1);
      assert.equal((await t.app.http.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
    });

    test('disabling a user ends their sessions and refuses new logins; enabling lets them back', async () => {
      const admin = await login(t, 'demo', 'admin');
      const victim = await login(t, 'demo', 'agent2');
      const id = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'agent2')!.id;
      assert.equal((await t.app.http.inject({ method: 'POST', url: `/api/users/${id}/disable`, headers: { cookie: admin } })).statusCode, 200);
      assert.equal((await t.app.http.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: victim } })).statusCode, 401);
      const refused = await attempt('demo', 'agent2', TEST_PASSWORD, '10.0.6.1');
      assert.equal(refused.json().code, 'SB_AUTH_INVALID_CREDENTIALS');
      await t.app.http.inject({ method: 'POST', url: `/api/users/${id}/enable`, headers: { cookie: admin } });
      assert.equal((await attempt('demo', 'agent2', TEST_PASSWORD, '10.0.6.2')).statusCode, 200);
    });

    test('an admin cannot disable or demote themselves', async () => {
      const cookie = await login(t, 'demo', 'admin');
      const id = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'admin')!.id;
      assert.equal((await t.app.http.inject({ method: 'POST', url: `/api/users/${id}/disable`, headers: { cookie } })).statusCode, 409);
      assert.equal((await t.app.http.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: { cookie }, payload: { roles: ['agent'] } })).statusCode, 409);
    });

    test('passwords are stored as Argon2id hashes', async () => {
      const rows = await t.app.storage.db.selectFrom('auth_user').select('password_hash').execute() as { password_hash: string }[];
      assert.ok(rows.length > 0);
      for (const r of rows) assert.match(r.password_hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    });
  });
}
