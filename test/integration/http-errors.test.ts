// Bad input gets a 4xx with a message naming the field, never a 500 or a stack trace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

describe('HTTP API bad input', () => {
  let t: TestApp;
  let cookie: string;
  before(async () => {
    t = await startTestApp('sqlite', { SB_HTTP_BODY_LIMIT: '4096' });
    cookie = await login(t, 'demo', 'admin');
  });
  after(async () => { await t.close(); });

  const post = (url: string, payload: string, contentType = 'application/json') =>
    t.app.http.inject({ method: 'POST', url, headers: { cookie, 'content-type': contentType }, payload });

  const good = { username: 'newbie', displayName: 'New Bie', password: TEST_PASSWORD, roles: ['agent'] };

  const cases: [string, () => ReturnType<typeof post>, number, string, string | undefined][] = [
    ['malformed JSON', () => post('/api/users', '{"username": "x",'), 400, 'SB_HTTP_BAD_JSON', undefined],
    ['an unknown field', () => post('/api/users', JSON.stringify({ ...good, isRoot: true })), 400, 'SB_VALIDATION', 'isRoot'],
    ['a wrong type', () => post('/api/users', JSON.stringify({ ...good, username: 42 })), 400, 'SB_VALIDATION', 'username'],
    ['a missing field', () => post('/api/users', JSON.stringify({ ...good, displayName: undefined })), 400, 'SB_VALIDATION', 'displayName'],
    ['an unknown role', () => post('/api/users', JSON.stringify({ ...good, roles: ['root'] })), 400, 'SB_VALIDATION', 'roles.0'],
    ['a short password', () => post('/api/users', JSON.stringify({ ...good, password: 'short' })), 400, 'SB_VALIDATION', 'password'],
    ['a bad e-mail', () => post('/api/users', JSON.stringify({ ...good, email: 'not-an-address' })), 400, 'SB_VALIDATION', 'email'],
    ['an oversized body', () => post('/api/users', JSON.stringify({ ...good, displayName: 'x'.repeat(10_000) })), 413, 'SB_HTTP_BODY_TOO_LARGE', undefined],
    ['a body that is not JSON', () => post('/api/users', 'username=x', 'application/x-www-form-urlencoded'), 415, 'SB_HTTP_UNSUPPORTED_MEDIA_TYPE', undefined],
    ['a JSON array instead of an object', () => post('/api/users', '[1,2]'), 400, 'SB_VALIDATION', undefined],
    ['a bad query parameter', () => t.app.http.inject({ method: 'GET', url: '/api/audit?limit=lots', headers: { cookie } }), 400, 'SB_VALIDATION', 'limit'],
  ];

  for (const [what, send, status, code, field] of cases) {
    test(`${what} answers ${status} ${code}${field ? ` naming '${field}'` : ''}`, async () => {
      const res = await send();
      assert.equal(res.statusCode, status, res.body);
      const body = res.json() as { code: string; message: string; details: { field?: string } };
      assert.equal(body.code, code);
      assert.ok(body.message.length > 0);
      if (field) {
        assert.equal(body.details.field, field);
        assert.ok(body.message.includes(field), `message names the field: ${body.message}`);
      }
      assert.ok(!/\n\s+at /.test(res.body) && !res.body.includes('.ts:'), 'no stack trace');
    });
  }

  test('a duplicate username answers 409 naming the field', async () => {
    const res = await post('/api/users', JSON.stringify({ ...good, username: 'agent1' }));
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().details.field, 'username');
  });

  test('an unknown API route answers 404 with the error body', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/nothing-here', headers: { cookie } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'SB_ROUTE_NOT_FOUND');
  });

  test('responses carry a Content-Security-Policy and no-sniff headers', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  test('the OpenAPI document at /api/docs/json describes every API route', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.match(doc.openapi, /^3\./);
    for (const p of ['/api/users', '/api/users/{id}', '/api/teams', '/api/audit/verify', '/api/tokens', '/api/auth/login']) {
      assert.ok(doc.paths[p], `documents ${p}`);
    }
    assert.ok(doc.paths['/api/users']!['post'], 'documents POST /api/users');
    const ui = await t.app.http.inject({ method: 'GET', url: '/api/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
  });

  test('GET /healthz answers when the server is ready', async () => {
    const res = await t.app.http.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'ok');
  });
});
