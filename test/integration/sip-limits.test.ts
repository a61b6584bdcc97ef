// The running server's SIP guards on real UDP sockets, with time under test control: the per-address
// flood limit, REGISTER's Contact "*" removal (RFC 3261 §10.3 step 6) and binding expiry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { aorOf } from '../../src/sip/index.ts';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('SIP guards on the running server', () => {
  let t: TestApp;
  let sock: Socket;
  let port: number;
  const inbox: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite', { SB_SIP_FLOOD_LIMIT: '5' });
    await t.app.listen();
    port = t.app.sip!.stack.local('udp').port;
    sock = createSocket('udp4');
    sock.on('message', (m) => inbox.push(m.toString('latin1')));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  });
  after(async () => { sock.close(); await t.close(); });

  const send = (text: string) => sock.send(Buffer.from(text.replace(/\n/g, '\r\n')), port, '127.0.0.1');
  const settle = () => new Promise((r) => setTimeout(r, 150));
  const local = () => sock.address().port;
  const options = (i: number) => `OPTIONS sip:1001@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${local()};branch=z9hG4bKflood${i};rport\nFrom: <sip:a@b>;tag=${i}\nTo: <sip:1001@b>\nCall-ID: flood-${i}\nCSeq: 1 OPTIONS\nMax-Forwards: 70\nContent-Length: 0\n\n`;

  test('an address over the flood limit is not answered until its budget refills', async () => {
    inbox.length = 0;
    for (let i = 0; i < 30; i++) send(options(i));
    await settle();
    const answered = inbox.filter((m) => m.startsWith('SIP/2.0 200')).length;
    assert.equal(answered, 10, 'a burst of twice the per-second limit, then nothing');
    assert.ok(t.app.sip!.stack.stats().flooded >= 20);
    t.clock.advance(1000);
    inbox.length = 0;
    send(options(100));
    await settle();
    assert.equal(inbox.filter((m) => m.startsWith('SIP/2.0 200')).length, 1, 'a second later it is answered again');
    t.clock.advance(5000);
  });

  test('§10.3: a binding expires with its interval, and Contact "*" with Expires 0 removes all bindings', async () => {
    const register = (cseq: number, contact: string, expires: string, auth?: string) =>
      `REGISTER sip:127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:${local()};branch=z9hG4bKreg${cseq};rport\nFrom: <sip:1002@demo>;tag=r\nTo: <sip:1002@demo>\nCall-ID: limits-reg\nCSeq: ${cseq} REGISTER\nContact: ${contact}\nExpires: ${expires}\nMax-Forwards: 70\n${auth ? `Authorization: ${auth}\n` : ''}Content-Length: 0\n\n`;
    const authed = async (cseq: number, contact: string, expires: string) => {
      inbox.length = 0;
      send(register(cseq, contact, expires));
      await settle();
      const nonce = /nonce="([^"]+)"/.exec(inbox.find((m) => m.startsWith('SIP/2.0 401')) ?? '')?.[1];
      assert.ok(nonce, 'challenged');
      const response = md5(`${md5(`1002:demo:${TEST_PASSWORD}`)}:${nonce}:00000001:cn:auth:${md5('REGISTER:sip:127.0.0.1')}`);
      inbox.length = 0;
      send(register(cseq + 1, contact, expires, `Digest username="1002", realm="demo", nonce="${nonce}", uri="sip:127.0.0.1", response="${response}", qop=auth, nc=00000001, cnonce="cn", algorithm=MD5`));
      await settle();
      return inbox.find((m) => m.startsWith('SIP/2.0 '))?.split('\r\n')[0];
    };
    const aor = aorOf('1002', 'demo');
    assert.equal(await authed(1, '<sip:1002@127.0.0.1:7001>, <sip:1002@127.0.0.1:7002>;expires=600', '120'), 'SIP/2.0 200 OK');
    assert.equal((await t.app.sip!.registrar.lookup(t.tenants.demo, aor, t.clock.now())).length, 2);
    t.clock.advance(121_000);
    assert.deepEqual((await t.app.sip!.registrar.lookup(t.tenants.demo, aor, t.clock.now())).map((b) => b.contact), ['sip:1002@127.0.0.1:7002'], 'the 120 s binding lapsed');
    assert.equal(await authed(3, '*', '0'), 'SIP/2.0 200 OK');
    assert.equal((await t.app.sip!.registrar.lookup(t.tenants.demo, aor, t.clock.now())).length, 0);
  });
});
