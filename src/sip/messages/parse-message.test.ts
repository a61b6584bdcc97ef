// RFC 3261 §7 message syntax and §8.2 request checks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequest } from './check-request.ts';
import { parseNameAddr, parseVia } from './header-values.ts';
import { parseMultipart } from './multipart.ts';
import { parseMessage } from './parse-message.ts';
import { buildResponse, serializeMessage } from './serialize-message.ts';
import { header, headerValues, type SipRequest, type SipResponse } from './sip-message.ts';

const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'utf8');
const OPTIONS = `OPTIONS sip:1001@example.com SIP/2.0
Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport
Max-Forwards: 70
To: <sip:1001@example.com>
From: "Alice" <sip:alice@example.com>;tag=1928301774
Call-ID: a84b4c76e66710@pc33.example.com
CSeq: 314159 OPTIONS
Content-Length: 0

`;
const req = (s: string) => {
  const r = parseMessage(crlf(s));
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.message as SipRequest;
};
const POLICY = { allow: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER'], supported: ['replaces'], accept: ['application/sdp'] };

describe('§7.1 requests and §7.2 responses', () => {
  test('a request parses into method, Request-URI and the mandatory fields', () => {
    const m = req(OPTIONS);
    assert.equal(m.method, 'OPTIONS');
    assert.equal(m.uriText, 'sip:1001@example.com');
    assert.equal(m.callId, 'a84b4c76e66710@pc33.example.com');
    assert.deepEqual(m.cseq, { seq: 314159, method: 'OPTIONS' });
    assert.equal(m.from.displayName, 'Alice');
    assert.equal(m.via[0]!.branch, 'z9hG4bK776asdhds');
    assert.equal(m.via[0]!.rport, null);
    assert.equal(m.maxForwards, 70);
  });

  test('a response keeps a UTF-8 reason phrase, and an empty one', () => {
    const base = OPTIONS.replace(/^OPTIONS .*\n/, '');
    const r = parseMessage(crlf(`SIP/2.0 200 好的 OK\n${base}`));
    assert.ok(r.ok && r.message.kind === 'response');
    assert.equal((r.message as SipResponse).reason, '好的 OK');
    const e = parseMessage(crlf(`SIP/2.0 180 \n${base}`));
    assert.ok(e.ok && (e.message as SipResponse).reason === '');
  });

  test('§7.3.1: folded lines, LWS around the colon, compact forms and multiple values', () => {
    const m = req(`INVITE sip:bob@example.com SIP/2.0
v: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK1,
 SIP/2.0/TCP 192.0.2.3:5061;branch=z9hG4bK2
Via  :  SIP/2.0/UDP [2001:db8::9]:5062;branch=z9hG4bK3
Max-Forwards: 70
t: <sip:bob@example.com>
f: <sip:alice@example.com>;tag=1
i: call-1
CSeq: 1 INVITE
Subject:
NewHeader: ;;,,;;,;
l: 0

`);
    assert.deepEqual(m.via.map((v) => `${v.transport} ${v.host}:${v.port ?? ''}`), ['UDP 192.0.2.2:', 'TCP 192.0.2.3:5061', 'UDP [2001:db8::9]:5062']);
    assert.equal(header(m, 'Subject'), '');
    assert.deepEqual(headerValues(m, 'newheader'), [';;,,;;,;']);
    assert.equal(m.callId, 'call-1');
  });

  test('unknown header fields are written back byte for byte', () => {
    const text = OPTIONS.replace('Content-Length: 0', 'X-Odd :  a,,  b\n  folded\nContent-Length: 0');
    const out = serializeMessage(req(text)).toString('latin1');
    assert.ok(out.includes('X-Odd :  a,,  b\r\n  folded\r\n'), out);
  });

  test('§20.10: parameters after an addr-spec belong to the header, inside <> to the URI', () => {
    const outside = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam');
    assert.deepEqual(outside.params, [['unknownparam', null]]);
    assert.deepEqual((outside.uri as { params: unknown }).params, []);
    const inside = parseNameAddr('<sip:+19725552222@gw1.example.net;unknownparam>');
    assert.deepEqual(inside.params, []);
    assert.deepEqual((inside.uri as { params: unknown }).params, [['unknownparam', null]]);
  });

  test('display names: quoted with escapes, unquoted tokens, none', () => {
    assert.equal(parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>;tag=1').displayName, 'J Rosenberg \\"');
    assert.equal(parseNameAddr('caller<sip:caller@example.com>;tag=323').displayName, 'caller');
    assert.throws(() => parseNameAddr('Bell, Alexander <sip:a.g.bell@example.com>'));
    assert.throws(() => parseNameAddr('"unterminated <sip:a@example.com>'));
  });

  test('RFC 3581: a filled-in rport and received are read', () => {
    const v = parseVia('SIP/2.0/UDP 10.0.0.1:5060;received=192.0.2.1;rport=40000;branch=z9hG4bKx');
    assert.equal(v.received, '192.0.2.1');
    assert.equal(v.rport, 40000);
  });
});

describe('§18.3 and §20.14 framing by Content-Length', () => {
  test('a body holds any bytes and is cut exactly at Content-Length (extra datagram bytes are ignored)', () => {
    const body = Buffer.from([0x76, 0x3d, 0x00, 0x0d, 0x0a, 0xff]);
    const head = crlf(OPTIONS.replace('Content-Length: 0', `Content-Type: application/octet-stream\nContent-Length: ${body.length}`));
    const r = parseMessage(Buffer.concat([head, body, Buffer.from('INVITE sip:x SIP/2.0\r\n')]));
    assert.ok(r.ok);
    assert.deepEqual(r.message.body, body);
  });

  test('on UDP a missing Content-Length means "the rest of the datagram"; on a stream it is an error', () => {
    const text = crlf(OPTIONS.replace('Content-Length: 0\n', '') + 'hello');
    const udp = parseMessage(text);
    assert.ok(udp.ok && udp.message.body.toString() === 'hello');
    const tcp = parseMessage(text, { stream: true });
    assert.ok(!tcp.ok && tcp.error.code === 'framing');
  });

  test('negative, non-numeric, conflicting and too-large Content-Length values are framing errors', () => {
    for (const v of ['-1', 'five', '0\nContent-Length: 5']) {
      const r = parseMessage(crlf(OPTIONS.replace('Content-Length: 0', `Content-Length: ${v}`)));
      assert.ok(!r.ok && r.error.code === 'framing', v);
    }
    const short = parseMessage(crlf(OPTIONS.replace('Content-Length: 0', 'Content-Length: 50')));
    assert.ok(!short.ok && short.error.code === 'incomplete');
  });
});

describe('RFC 2046 multipart bodies', () => {
  test('parts are split on the boundary and keep binary bodies', () => {
    const body = Buffer.concat([
      Buffer.from('--b1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n\r\n--b1\r\nContent-Type: application/octet-stream\r\n\r\n'),
      Buffer.from([0, 1, 2, 0x0d, 0x0a]), Buffer.from('\r\n--b1--\r\n'),
    ]);
    const parts = parseMultipart(body, 'multipart/mixed;boundary=b1');
    assert.equal(parts.length, 2);
    assert.equal(parts[0]!.body.toString(), 'v=0\r\n');
    assert.deepEqual(parts[1]!.body, Buffer.from([0, 1, 2, 0x0d, 0x0a]));
  });
});

describe('§8.2.6 responses and §8.2 request checks', () => {
  test('a response copies Via, From, Call-ID, CSeq and adds a To tag', () => {
    const m = req(OPTIONS);
    const out = parseMessage(buildResponse(m, 200, { toTag: 'abc' }));
    assert.ok(out.ok && out.message.kind === 'response');
    assert.equal(out.message.status, 200);
    assert.equal(out.message.via[0]!.branch, 'z9hG4bK776asdhds');
    assert.equal(out.message.to.params.find(([n]) => n === 'tag')?.[1], 'abc');
    assert.deepEqual(out.message.cseq, m.cseq);
  });

  test('a stateless 400 can be built from what a malformed request yielded', () => {
    const r = parseMessage(crlf(OPTIONS.replace('CSeq: 314159 OPTIONS', 'CSeq: 99999999999 OPTIONS')));
    assert.ok(!r.ok && r.kind === 'request');
    const out = parseMessage(buildResponse(r, 400, { toTag: 'x' }), {});
    assert.ok(!out.ok, 'the copied CSeq is still bad, but the bytes carry the Via');
    assert.match(buildResponse(r, 400).toString(), /^SIP\/2\.0 400 Bad Request\r\nVia: SIP\/2\.0\/UDP 192\.0\.2\.1:5060;branch=z9hG4bK776asdhds;rport\r\n/);
  });

  test('505 for another SIP version, 416 for an unknown scheme, 405 with Allow, 501 for unknown methods', () => {
    assert.equal((checkRequest(req(OPTIONS.replace(' SIP/2.0\n', ' SIP/7.0\n')), POLICY) as { status: number }).status, 505);
    assert.equal((checkRequest(req(OPTIONS.replace('OPTIONS sip:1001@example.com', 'OPTIONS urn:service:sos')), POLICY) as { status: number }).status, 416);
    const sub = checkRequest(req(OPTIONS.replace(/OPTIONS/g, 'SUBSCRIBE')), POLICY);
    assert.ok(!sub.ok && sub.status === 405 && sub.headers[0]!.value === POLICY.allow.join(', '));
    const unknown = checkRequest(req(OPTIONS.replace(/OPTIONS/g, 'FROBNICATE')), POLICY);
    assert.ok(!unknown.ok && unknown.status === 501);
  });

  test('§8.2.2.3: 420 lists the unsupported option tags; §8.2.3: 415 lists what is accepted', () => {
    const r = checkRequest(req(OPTIONS.replace('Max-Forwards: 70', 'Require: replaces, 100rel, foo')), POLICY);
    assert.ok(!r.ok && r.status === 420 && r.headers[0]!.value === '100rel, foo');
    const inv = req(OPTIONS.replace(/OPTIONS/g, 'INVITE').replace('Content-Length: 0', 'Content-Type: application/unknown\nContent-Length: 3') + 'abc');
    const c = checkRequest(inv, POLICY);
    assert.ok(!c.ok && c.status === 415 && c.headers[0]!.value === 'application/sdp');
  });

  test('a CSeq method that differs from the request method is a 400', () => {
    const c = checkRequest(req(OPTIONS.replace('CSeq: 314159 OPTIONS', 'CSeq: 1 INVITE')), POLICY);
    assert.ok(!c.ok && c.status === 400);
  });
});
