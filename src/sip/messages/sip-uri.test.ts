// RFC 3261 §19.1 URIs, RFC 3966 tel URIs, RFC 5118 IPv6 references.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUri, isSipUri, parseUri, uriParam, type SipUri } from './sip-uri.ts';
import { SipSyntaxError } from './sip-syntax-error.ts';

const sip = (s: string) => parseUri(s) as SipUri;

describe('§19.1.1 SIP and SIPS URI components', () => {
  test('user, password, host, port, parameters and headers are separated', () => {
    const u = sip('sips:alice:secret@Atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
    assert.equal(u.scheme, 'sips');
    assert.equal(u.user, 'alice');
    assert.equal(u.password, 'secret');
    assert.equal(u.host, 'atlanta.com');
    assert.equal(u.port, 5061);
    assert.deepEqual(u.params, [['transport', 'tcp'], ['lr', null]]);
    assert.deepEqual(u.headers, [['subject', 'project x'], ['priority', 'urgent']]);
  });

  test('a host without user part and an IPv4 host', () => {
    assert.deepEqual(sip('sip:192.0.2.4'), { scheme: 'sip', user: undefined, password: undefined, host: '192.0.2.4', port: undefined, params: [], headers: [] });
  });

  test('RFC 5118 §4.1: IPv6 references keep their brackets, with and without a port', () => {
    assert.equal(sip('sip:[2001:db8::10]').host, '[2001:db8::10]');
    const u = sip('sip:alice@[2001:db8::10]:5070;maddr=[2001:db8::20]');
    assert.equal(u.host, '[2001:db8::10]');
    assert.equal(u.port, 5070);
    assert.equal(uriParam(u, 'maddr'), '[2001:db8::20]');
  });

  test('§19.1.2: escapes in the user part are decoded, an escaped "@" included, and %00 does not truncate', () => {
    assert.equal(sip('sip:user;par=u%40example.net@example.com').user, 'user;par=u@example.net');
    assert.equal(sip('sip:%61lice@example.com').user, 'alice');
    assert.equal(sip('sip:%00%00@example.com').user, '\u0000\u0000');
  });

  test('a port above 65535, an empty host or a bad escape is a syntax error', () => {
    for (const bad of ['sip:alice@example.com:70000', 'sip:alice@', 'sip:al%4ice@example.com', 'sip:<alice@example.com>', 'sip:alice @example.com']) {
      assert.throws(() => parseUri(bad), SipSyntaxError, bad);
    }
  });

  test('format(parse(x)) is stable', () => {
    for (const s of ['sip:alice@example.com', 'sips:bob:pw@[2001:db8::1]:5061;transport=tcp', 'sip:1001@127.0.0.1:5060;lr', 'sip:user;par=u%40x@example.com']) {
      assert.equal(formatUri(parseUri(formatUri(parseUri(s)))), formatUri(parseUri(s)));
    }
    assert.equal(formatUri(parseUri('sip:alice@example.com;transport=udp')), 'sip:alice@example.com;transport=udp');
  });
});

describe('RFC 3966 tel and other schemes', () => {
  test('tel URIs keep number and parameters', () => {
    assert.deepEqual(parseUri('tel:+1-201-555-0123;phone-context=example.com'), { scheme: 'tel', number: '+1-201-555-0123', params: [['phone-context', 'example.com']] });
  });
  test('§8.2.2.1: an unknown scheme parses opaque, so the UAS can answer 416', () => {
    const u = parseUri('soap.beep://192.0.2.103:3002');
    assert.equal(isSipUri(u), false);
    assert.deepEqual(u, { scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
  });
});
