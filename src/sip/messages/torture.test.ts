// RFC 4475 and RFC 5118 torture messages through the parser and the §8.2 checks (the same corpus
// runs against the live server over UDP and TCP in test/interop/sip-torture.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TORTURE_MISSING, TORTURE_OUTCOME, tortureMessages } from '../../../test/support/torture.ts';
import { checkRequest } from './check-request.ts';
import { parseMessage } from './parse-message.ts';
import { serializeMessage } from './serialize-message.ts';
import { isSipUri, type SipUri } from './sip-uri.ts';
import { header, headerValues, type SipRequest } from './sip-message.ts';
import { parseNameAddr } from './header-values.ts';

const POLICY = { allow: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'REFER', 'NOTIFY'], supported: ['replaces'], accept: ['application/sdp', 'multipart/mixed'] };

describe('RFC 4475 / RFC 5118 torture corpus: parser', { skip: TORTURE_MISSING }, () => {
  const messages = tortureMessages();
  test('every file in expected.json has an outcome here', () => {
    assert.deepEqual(messages.map((m) => m.file).sort(), Object.keys(TORTURE_OUTCOME).sort());
  });

  for (const m of messages) {
    const want = TORTURE_OUTCOME[m.file]!;
    test(`${m.rfc} §${m.section} ${m.title} (${m.file}): ${want.parse}${want.check ? ` → ${want.check}` : ''}`, () => {
      const r = parseMessage(m.data);
      if (want.parse !== 'ok') {
        assert.ok(!r.ok, 'must not parse');
        assert.equal(r.error.code, want.parse, r.error.message);
        return;
      }
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal(r.message.kind, m.message);
      if (r.message.kind === 'request') {
        const c = checkRequest(r.message, POLICY);
        assert.equal(c.ok ? undefined : c.status, want.check);
      }
      // Serializing and parsing again gives the same message (unknown fields byte for byte).
      const again = parseMessage(serializeMessage(r.message));
      assert.ok(again.ok);
      assert.deepEqual(again.message.headers.filter((h) => h.key !== 'content-length').map((h) => h.value), r.message.headers.filter((h) => h.key !== 'content-length').map((h) => h.value));
      assert.deepEqual(again.message.body, r.message.body);
    });
  }

  const byFile = (f: string) => {
    const r = parseMessage(messages.find((m) => m.file === f)!.data);
    assert.ok(r.ok);
    return r.message as SipRequest;
  };

  test('3.1.1.1 wsinv: three Via values, the unusual unknown header verbatim, leading zeros', () => {
    const m = byFile('wsinv.txt');
    assert.equal(m.via.length, 3);
    assert.equal(m.via[0]!.host, '192.0.2.2');
    assert.equal(m.via[0]!.branch, '390skdjuw');
    assert.deepEqual(headerValues(m, 'UnknownHeaderWithUnusualValue'), [';;,,;;,;']);
    assert.equal(m.maxForwards, 68);
    assert.equal(m.cseq.seq, 9);
    assert.equal(header(m, 'Subject'), '');
  });

  test('3.1.1.2 intmeth: the odd user part and password of the Request-URI', () => {
    const u = byFile('intmeth.txt').uri as SipUri;
    assert.equal(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  });

  test('3.1.1.4 escnull: two distinct contacts whose users contain NUL', () => {
    const contacts = headerValues(byFile('escnull.txt'), 'Contact').map((c) => (parseNameAddr(c).uri as SipUri).user);
    assert.equal(new Set(contacts).size, 2);
    assert.ok(contacts.every((u) => u?.includes('\u0000')));
  });

  test('3.1.1.10 semiuri: the user part carries ";" and an escaped "@"', () => {
    const u = byFile('semiuri.txt').uri;
    assert.ok(isSipUri(u));
    assert.equal(u.user, 'user;par=u@example.net');
  });

  test('3.1.1.11 mpart01: the binary body is exactly Content-Length bytes, NULs included', () => {
    const m = byFile('mpart01.txt');
    assert.equal(m.body.length, Number(header(m, 'Content-Length')));
    assert.ok(m.body.includes(0));
  });

  test('3.3.12 / 3.3.13 cparam: a parameter outside <> is a header parameter, inside it is the URI\'s', () => {
    const outside = parseNameAddr(headerValues(byFile('cparam01.txt'), 'Contact')[0]!);
    assert.ok(isSipUri(outside.uri) && outside.uri.params.length === 0);
    const inside = parseNameAddr(headerValues(byFile('cparam02.txt'), 'Contact')[0]!);
    assert.ok(isSipUri(inside.uri) && inside.uri.params.some(([n]) => n === 'unknownparam'));
  });
});
