// SIP over WebSocket (RFC 7118) as a browser phone uses it: subprotocol "sip", one message per
// frame, responses on the same connection; a registration with digest; garbage gets a 400.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { startTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts';
import { aorOf, parseMessage } from '../../src/sip/index.ts';

describe('SIP over WebSocket (RFC 7118)', () => {
  let t: TestApp;
  let url: string;
  before(async () => {
    t = await startTestApp('sqlite');
    await t.app.listen();
    url = `ws://127.0.0.1:${t.app.sip!.stack.local('ws').port}`;
  });
  after(async () => { await t.close(); });

  const open = async (protocol = 'sip') => {
    const ws = new WebSocket(url, protocol);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return ws;
  };
  const next = (ws: WebSocket) => new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
  const register = (cseq: number, auth?: string) => [
    'REGISTER sip:127.0.0.1 SIP/2.0', `Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKws${cseq};rport`, 'Max-Forwards: 70',
    'From: <sip:1001@demo>;tag=ws1', 'To: <sip:1001@demo>', 'Call-ID: ws-call-1', `CSeq: ${cseq} REGISTER`,
    'Contact: <sip:x7k2@df7jal23ls0d.invalid;transport=ws>;expires=300', ...(auth ? [`Authorization: ${auth}`] : []), 'Content-Length: 0', '', '',
  ].join('\r\n');

  test('§4.1: a client without the "sip" subprotocol is refused', async () => {
    await assert.rejects(open('chat'));
  });

  test('REGISTER is challenged and then bound to the WebSocket connection', async () => {
    const ws = await open();
    ws.send(register(1));
    const challenge = parseMessage(Buffer.from(await next(ws)));
    assert.ok(challenge.ok && challenge.message.kind === 'response' && challenge.message.status === 401);
    const www = challenge.message.headers.find((h) => h.key === 'www-authenticate')!.value;
    const nonce = /nonce="([^"]+)"/.exec(www)![1]!;
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const uri = 'sip:127.0.0.1';
    const response = md5(`${md5(`1001:demo:${TEST_PASSWORD}`)}:${nonce}:00000001:abc:auth:${md5(`REGISTER:${uri}`)}`);
    ws.send(register(2, `Digest username="1001", realm="demo", nonce="${nonce}", uri="${uri}", response="${response}", qop=auth, nc=00000001, cnonce="abc", algorithm=MD5`));
    const ok = parseMessage(Buffer.from(await next(ws)));
    assert.ok(ok.ok && ok.message.kind === 'response');
    assert.equal(ok.message.status, 200);
    const [binding] = await t.app.sip!.registrar.lookup(t.tenants.demo, aorOf('1001', 'demo'), t.clock.now());
    assert.equal(binding?.source.protocol, 'ws');
    assert.ok(binding?.source.connectionId, 'requests to this phone go back over its connection');
    ws.close();
  });

  test('a malformed message on a WebSocket gets a 400 and the connection stays usable', async () => {
    const ws = await open();
    ws.send('OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/WSS h.invalid;branch=z9hG4bKbad\r\nCSeq: banana\r\n\r\n');
    assert.match(await next(ws), /^SIP\/2\.0 400 /);
    ws.send('OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WSS h.invalid;branch=z9hG4bKgood\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:1001@b>\r\nCall-ID: ok\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n');
    assert.match(await next(ws), /^SIP\/2\.0 200 OK/);
    ws.close();
  });
});
