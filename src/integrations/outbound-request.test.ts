import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ManualClock } from '../kernel/index.ts';
import { outboundRequest, type OutboundRequest } from './outbound-request.ts';

describe('outbound request (real HTTP on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<Socket>();
  const held: ServerResponse[] = [];
  let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        if (req.url === '/slow') held.push(res);
        else if (req.url === '/big') res.writeHead(200).end('x'.repeat(5000));
        else if (req.url === '/moved') res.writeHead(302, { location: '/elsewhere' }).end();
        else res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const request = (over: Partial<OutboundRequest>): OutboundRequest => ({
    method: 'GET', url: `${base}/ok`, headers: {}, timeoutMs: 1000, allowPrivateNetwork: true, maxResponseBytes: 1024, ...over,
  });

  test('sends the method, headers and body; answers the status and body', async () => {
    seen = [];
    const r = await outboundRequest(request({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-api-key': 'k' } }), new ManualClock());
    assert.equal(r.kind, 'response');
    if (r.kind !== 'response') return;
    assert.equal(r.status, 201);
    assert.equal(r.body.toString(), '{"ok":true}');
    assert.equal(r.contentType, 'application/json');
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.body, '{"a":1}');
    assert.equal(seen[0]!.headers['x-api-key'], 'k');
    assert.equal(seen[0]!.headers['content-length'], '7');
  });

  test('loopback is refused unless the private network is allowed, also when a name resolves to it', async () => {
    const clock = new ManualClock();
    const port = new URL(base).port;
    seen = [];
    for (const url of [`${base}/ok`, `http://localhost:${port}/ok`]) {
      const r = await outboundRequest(request({ url, allowPrivateNetwork: false }), clock);
      assert.deepEqual(r, { kind: 'error', message: 'the address is not allowed (loopback, private or link-local network)' }, url);
    }
    assert.equal(seen.length, 0, 'nothing reached the server');
    assert.equal((await outboundRequest(request({ url: `http://localhost:${port}/ok` }), clock)).kind, 'response');
  });

  test('no answer within the timeout (on the clock) is a timeout', async () => {
    const clock = new ManualClock();
    seen = [];
    let settled = false;
    const pending = outboundRequest(request({ url: `${base}/slow`, timeoutMs: 2000 }), clock).then((r) => { settled = true; return r; });
    while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    clock.advance(1999);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false);
    clock.advance(1);
    assert.deepEqual(await pending, { kind: 'timeout' });
    assert.equal(clock.pending(), 0, 'the timer is gone');
  });

  test('an abort signal abandons the request', async () => {
    const clock = new ManualClock();
    seen = [];
    const abort = new AbortController();
    const pending = outboundRequest(request({ url: `${base}/slow`, signal: abort.signal }), clock);
    while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    assert.deepEqual(await pending, { kind: 'aborted' });
    assert.deepEqual(await outboundRequest(request({ signal: abort.signal }), clock), { kind: 'aborted' });
  });

  test('an answer longer than the limit is an error; redirects are not followed; 0 bytes reads the status only', async () => {
    const clock = new ManualClock();
    assert.deepEqual(await outboundRequest(request({ url: `${base}/big`, maxResponseBytes: 4096 }), clock), { kind: 'error', message: 'the answer is longer than 4096 bytes' });
    const moved = await outboundRequest(request({ url: `${base}/moved` }), clock);
    assert.equal(moved.kind === 'response' && moved.status, 302);
    const statusOnly = await outboundRequest(request({ url: `${base}/big`, maxResponseBytes: 0 }), clock);
    assert.ok(statusOnly.kind === 'response' && statusOnly.status === 200 && statusOnly.body.length === 0);
  });

  test('a server that is down, a bad URL and another scheme are errors, never throws', async () => {
    const clock = new ManualClock();
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    assert.deepEqual(await outboundRequest(request({ url: `http://127.0.0.1:${port}/` }), clock), { kind: 'error', message: 'ECONNREFUSED' });
    assert.equal((await outboundRequest(request({ url: 'nope' }), clock)).kind, 'error');
    assert.equal((await outboundRequest(request({ url: 'ftp://127.0.0.1/' }), clock)).kind, 'error');
  });
});
