import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAuthHeader, serializeChallenge, serializeCredentials, toDigestChallenge, toDigestCredentials } from './auth-params.ts';

// Printable ASCII without CR/LF: what a quoted-string may carry after escaping.
const text = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });

describe('auth-param parsing on arbitrary input', () => {
  it('never throws, whatever the header value', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      const r = parseAuthHeader(s);
      assert.equal(typeof r.ok, 'boolean');
    }), { numRuns: 2000 });
  });

  it('never throws on Digest values built from quotes, commas, backslashes and folds', () => {
    const piece = fc.constantFrom('Digest ', 'realm', '=', '"', ',', '\\', ' ', '\r\n ', '\r\n', 'nonce', 'x');
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
      const r = parseAuthHeader(parts.join(''));
      assert.equal(typeof r.ok, 'boolean');
    }), { numRuns: 2000 });
  });

  it('serialized credentials parse back to the same values', () => {
    fc.assert(fc.property(text, text, text, text, (username, realm, nonce, uri) => {
      const creds = { username, realm, nonce, uri, response: 'abc' };
      const r = parseAuthHeader(serializeCredentials(creds));
      assert.ok(r.ok);
      assert.deepEqual(toDigestCredentials(r.value), { ok: true, value: creds });
    }), { numRuns: 500 });
  });

  it('serialized challenges parse back to the same values', () => {
    fc.assert(fc.property(text, text, fc.boolean(), (realm, nonce, stale) => {
      const challenge = { realm, nonce, stale, algorithm: 'SHA-256', qop: ['auth'] };
      const r = parseAuthHeader(serializeChallenge(challenge));
      assert.ok(r.ok);
      assert.deepEqual(toDigestChallenge(r.value), { ok: true, value: challenge });
    }), { numRuns: 500 });
  });
});
