import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseAuthHeader,
  serializeChallenge,
  serializeCredentials,
  toDigestChallenge,
  toDigestCredentials,
} from './auth-params.ts';

const RFC7616_AUTHORIZATION = `Digest username="Mufasa",
     realm="http-auth@example.org",
     uri="/dir/index.html",
     algorithm=SHA-256,
     nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
     nc=00000001,
     cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
     qop=auth,
     response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
     opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`.replace(/\n/g, '\r\n');

describe('RFC 3261 §25.1 / RFC 7235 §2.1: auth-param parsing', () => {
  it('reads the RFC 7616 §3.9.1 Authorization value, folded over lines', () => {
    const r = parseAuthHeader(RFC7616_AUTHORIZATION);
    assert.ok(r.ok);
    assert.equal(r.value.scheme, 'Digest');
    assert.equal(r.value.params.get('username'), 'Mufasa');
    assert.equal(r.value.params.get('nc'), '00000001');
    assert.equal(r.value.params.get('qop'), 'auth');
    assert.equal(r.value.params.size, 10);
    const c = toDigestCredentials(r.value);
    assert.ok(c.ok);
    assert.equal(c.value.algorithm, 'SHA-256');
    assert.equal(c.value.cnonce, 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ');
  });

  it('unescapes quoted-pairs, lower-cases names and allows LWS around "="', () => {
    const r = parseAuthHeader('digest  USERNAME = "a\\"b\\\\c" ,realm="r", nonce=abc');
    assert.ok(r.ok);
    assert.equal(r.value.params.get('username'), 'a"b\\c');
    assert.equal(r.value.params.get('nonce'), 'abc');
  });

  it('keeps commas inside quoted strings (qop list of a challenge)', () => {
    const r = parseAuthHeader('Digest realm="x", qop="auth, auth-int", nonce="n"');
    assert.ok(r.ok);
    const c = toDigestChallenge(r.value);
    assert.ok(c.ok);
    assert.deepEqual(c.value.qop, ['auth', 'auth-int']);
  });

  it('tolerates empty list elements', () => {
    const r = parseAuthHeader('Digest ,realm="x",, nonce="n",');
    assert.ok(r.ok);
    assert.equal(r.value.params.size, 2);
  });

  for (const [name, value] of [
    ['an unterminated quoted-string', 'Digest realm="x'],
    ['a repeated parameter', 'Digest realm="x", realm="y"'],
    ['a parameter without value', 'Digest realm'],
    ['a missing comma', 'Digest realm="x" nonce="y"'],
    ['an empty header', '   '],
    ['a bare line end inside quotes', 'Digest realm="x\r\ny"'],
    ['a trailing backslash', 'Digest realm="x\\'],
    ['a huge value', `Digest realm="${'x'.repeat(10_000)}"`],
  ] as const) {
    it(`refuses ${name} without throwing`, () => {
      const r = parseAuthHeader(value);
      assert.equal(r.ok, false);
    });
  }

  it('refuses credentials missing a required directive or with qop but no nc', () => {
    const missing = parseAuthHeader('Digest username="a", realm="r", nonce="n", uri="sip:x"');
    assert.ok(missing.ok);
    assert.deepEqual(toDigestCredentials(missing.value), { ok: false, reason: 'missing response' });
    const noNc = parseAuthHeader('Digest username="a", realm="r", nonce="n", uri="sip:x", response="x", qop=auth, cnonce="c"');
    assert.ok(noNc.ok);
    assert.equal(toDigestCredentials(noNc.value).ok, false);
    const badNc = parseAuthHeader('Digest username="a", realm="r", nonce="n", uri="sip:x", response="x", qop=auth, cnonce="c", nc=1');
    assert.ok(badNc.ok);
    assert.equal(toDigestCredentials(badNc.value).ok, false);
  });
});

describe('RFC 7616 §3.3/§3.4: serialization', () => {
  it('quotes realm, nonce and qop in a challenge, leaves algorithm and stale bare', () => {
    const s = serializeChallenge({ realm: 'sb "x"', nonce: 'abc', algorithm: 'SHA-256', qop: ['auth'], stale: true });
    assert.equal(s, 'Digest realm="sb \\"x\\"", nonce="abc", stale=true, algorithm=SHA-256, qop="auth"');
    const back = parseAuthHeader(s);
    assert.ok(back.ok);
    const c = toDigestChallenge(back.value);
    assert.ok(c.ok);
    assert.deepEqual(c.value, { realm: 'sb "x"', nonce: 'abc', algorithm: 'SHA-256', qop: ['auth'], stale: true });
  });

  it('leaves algorithm, qop and nc unquoted in credentials and round-trips', () => {
    const creds = {
      username: 'Mufasa', realm: 'r', nonce: 'n', uri: 'sip:bob@example.com', response: 'abcd',
      algorithm: 'MD5', cnonce: 'c', qop: 'auth', nc: '0000000a', opaque: 'o',
    };
    const s = serializeCredentials(creds);
    assert.match(s, /algorithm=MD5/);
    assert.match(s, /qop=auth(,|$)/);
    assert.match(s, /nc=0000000a/);
    assert.match(s, /uri="sip:bob@example.com"/);
    const back = parseAuthHeader(s);
    assert.ok(back.ok);
    assert.deepEqual(toDigestCredentials(back.value), { ok: true, value: creds });
  });
});
