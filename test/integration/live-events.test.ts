// The WebSocket endpoint for live events: authenticated, tenant-filtered, closed on logout and disable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { login, startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

interface Socket {
  ws: WebSocket;
  messages: { type: string; [k: string]: unknown }[];
  next(type: string): Promise<{ type: string; [k: string]: unknown }>;
  closed: Promise<number>;
}

describe('live events over WebSocket', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await startTestApp('sqlite');
    base = (await t.app.listen()).replace('http://', 'ws://');
  });
  after(async () => { await t.close(); });

  const connect = async (cookie: string): Promise<Socket> => {
    const ws = new WebSocket(`${base}/api/events`, { headers: { cookie } });
    const messages: Socket['messages'] = [];
    const waiters: { type: string; resolve: (m: Socket['messages'][number]) => void }[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Socket['messages'][number];
      messages.push(m);
      for (const w of waiters.filter((x) => x.type === m.type)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    const next = (type: string) => new Promise<Socket['messages'][number]>((resolve) => {
      const seen = messages.find((m) => m.type === type);
      if (seen) { messages.splice(messages.indexOf(seen), 1); resolve(seen); } else waiters.push({ type, resolve });
    });
    await once(ws, 'open');
    await next('hello');
    return { ws, messages, next, closed };
  };

  test('a connection without a session is refused', async () => {
    const ws = new WebSocket(`${base}/api/events`);
    ws.on('error', () => {});
    const [, res] = await once(ws, 'unexpected-response') as [unknown, { statusCode: number }];
    assert.equal(res.statusCode, 401);
    ws.terminate();
  });

  test('events reach only sockets of the same tenant holding the permission', async () => {
    const demoAdmin = await connect(await login(t, 'demo', 'admin'));
    const demoAgent = await connect(await login(t, 'demo', 'agent1'));
    const otherAdmin = await connect(await login(t, 'other', 'o-admin'));
    const cookie = await login(t, 'demo', 'admin');
    const created = await t.app.http.inject({ method: 'POST', url: '/api/users', headers: { cookie }, payload: { username: 'live1', displayName: 'Live', password: TEST_PASSWORD, roles: ['agent'] } });
    const msg = await demoAdmin.next('user.changed');
    assert.equal(msg['userId'], created.json().id);
    // A round trip on each other socket proves nothing was queued before it.
    for (const s of [demoAgent, otherAdmin]) {
      s.ws.send('{"type":"ping"}');
      await s.next('pong');
      assert.equal(s.messages.filter((m) => m.type === 'user.changed').length, 0);
    }
    for (const s of [demoAdmin, demoAgent, otherAdmin]) s.ws.close();
  });

  test('logout closes the sockets of that session', async () => {
    const cookie = await login(t, 'demo', 'supervisor');
    const s = await connect(cookie);
    await t.app.http.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    await s.next('session.ended');
    assert.equal(await s.closed, 4401);
  });

  test('disabling a user closes all their sockets', async () => {
    const admin = await login(t, 'demo', 'admin');
    const s1 = await connect(await login(t, 'demo', 'agent2'));
    const s2 = await connect(await login(t, 'demo', 'agent2'));
    const id = (await t.app.directory.listUsers(t.tenants.demo)).find((u) => u.username === 'agent2')!.id;
    await t.app.http.inject({ method: 'POST', url: `/api/users/${id}/disable`, headers: { cookie: admin } });
    assert.deepEqual(await Promise.all([s1.closed, s2.closed]), [4401, 4401]);
  });
});
