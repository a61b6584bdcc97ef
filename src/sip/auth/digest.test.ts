import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DigestAlgorithm, constantTimeEqual, digestResponse, ha1, parseAlgorithm, verifyResponse } from './digest.ts';

// RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
const rfc7616 = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: '00000001',
  qop: 'auth',
  method: 'GET',
  uri: '/dir/index.html',
};

describe('RFC 7616 §3.9.1: example with SHA-256 and MD5', () => {
  for (const [algorithm, expected] of [
    [DigestAlgorithm.SHA256, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    [DigestAlgorithm.MD5, '8ca523f5e9506fed4657c9700eebdbec'],
  ] as const) {
    it(`computes the printed ${algorithm} response`, () => {
      const x = rfc7616;
      const response = digestResponse({
        algorithm,
        ha1: ha1(algorithm, x.username, x.realm, x.password),
        nonce: x.nonce, method: x.method, uri: x.uri, qop: x.qop, nc: x.nc, cnonce: x.cnonce,
      });
      assert.equal(response, expected);
    });
  }
});

describe('RFC 2617 §3.5: example (MD5, qop=auth)', () => {
  const input = {
    algorithm: DigestAlgorithm.MD5,
    ha1: ha1(DigestAlgorithm.MD5, 'Mufasa', 'testrealm@host.com', 'Circle Of Life'),
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: '00000001', cnonce: '0a4f113b',
  };
  it('computes the printed response', () => {
    assert.equal(digestResponse(input), '6629fae49393a05397450978507c4ef1');
  });
  it('verifies the printed response, in either hex case, and refuses a changed one', () => {
    assert.equal(verifyResponse(input, '6629fae49393a05397450978507c4ef1'), true);
    assert.equal(verifyResponse(input, '6629FAE49393A05397450978507C4EF1'), true);
    assert.equal(verifyResponse(input, '6629fae49393a05397450978507c4ef2'), false);
    assert.equal(verifyResponse(input, '6629fae4'), false);
    assert.equal(verifyResponse({ ...input, method: 'POST' }, '6629fae49393a05397450978507c4ef1'), false);
  });
});

describe('RFC 2069 form (no qop) for old UAs', () => {
  it('RFC 2069 §2.1.2: response is H(HA1:nonce:HA2) when no qop is given', () => {
    const response = digestResponse({
      algorithm: DigestAlgorithm.MD5,
      ha1: ha1(DigestAlgorithm.MD5, 'Mufasa', 'testrealm@host.com', 'CircleOfLife'),
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html',
    });
    assert.equal(response, '1949323746fe6a43ef61f9606e7febea');
  });
});

describe('RFC 7616 §3.4.2-§3.4.3: -sess and auth-int', () => {
  const base = {
    ha1: ha1(DigestAlgorithm.SHA256, 'alice', 'sb.example', 'pw'),
    nonce: 'n', method: 'INVITE', uri: 'sip:bob@sb.example', qop: 'auth', nc: '00000001', cnonce: 'c',
  };
  it('-sess differs from the plain algorithm and depends on cnonce', () => {
    const plain = digestResponse({ ...base, algorithm: DigestAlgorithm.SHA256 });
    const sess = digestResponse({ ...base, algorithm: DigestAlgorithm.SHA256_SESS });
    const sess2 = digestResponse({ ...base, algorithm: DigestAlgorithm.SHA256_SESS, cnonce: 'd' });
    assert.notEqual(plain, sess);
    assert.notEqual(sess, sess2);
    assert.equal(sess.length, 64);
  });
  it('auth-int covers the body', () => {
    const a = digestResponse({ ...base, algorithm: DigestAlgorithm.MD5, ha1: ha1('MD5', 'a', 'r', 'p'), qop: 'auth-int', body: 'v=0\r\n' });
    const b = digestResponse({ ...base, algorithm: DigestAlgorithm.MD5, ha1: ha1('MD5', 'a', 'r', 'p'), qop: 'auth-int', body: 'v=1\r\n' });
    assert.notEqual(a, b);
  });
});

describe('algorithm names', () => {
  it('are matched case-insensitively, absent means MD5 (RFC 7616 §3.3), unknown is undefined', () => {
    assert.equal(parseAlgorithm(undefined), 'MD5');
    assert.equal(parseAlgorithm('sha-256'), 'SHA-256');
    assert.equal(parseAlgorithm('md5-SESS'), 'MD5-sess');
    assert.equal(parseAlgorithm('SHA-512-256'), undefined);
  });
  it('HA1 for a -sess algorithm is the stored base hash', () => {
    assert.equal(ha1('SHA-256-sess', 'u', 'r', 'p'), ha1('SHA-256', 'u', 'r', 'p'));
    assert.equal(ha1('MD5', 'u', 'r', 'p').length, 32);
  });
  it('constantTimeEqual compares content and length', () => {
    assert.equal(constantTimeEqual('abc', 'abc'), true);
    assert.equal(constantTimeEqual('abd', 'abc'), false);
    assert.equal(constantTimeEqual('ab', 'abc'), false);
  });
});
