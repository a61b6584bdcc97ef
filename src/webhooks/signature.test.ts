import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign, signatureHeader, verifySignature } from './signature.ts';

// Computed outside this code: printf '%s' '1767225600.{"id":"evt_1","type":"WebhookPing"}' | openssl dgst -sha256 -hmac 'whsec_test_secret'
const KNOWN = { secret: 'whsec_test_secret', t: 1767225600, body: '{"id":"evt_1","type":"WebhookPing"}', v1: '895b1e19b44e7d7aea03ff5bdb8b0924f4e958d58c91fdf61c8b01df1acb9c43' };
const at = (seconds: number) => seconds * 1000;

describe('webhook signature (HMAC-SHA256 of "<t>.<body>", Stripe-style header)', () => {
  test('matches the known answer', () => {
    assert.equal(sign(KNOWN.secret, KNOWN.t, KNOWN.body), KNOWN.v1);
    assert.equal(signatureHeader(KNOWN.secret, KNOWN.t, KNOWN.body), `t=${KNOWN.t},v1=${KNOWN.v1}`);
  });

  test('a receiver verifies the header with the secret and the raw body', () => {
    const header = `t=${KNOWN.t},v1=${KNOWN.v1}`;
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t + 10) }), true);
    assert.equal(verifySignature({ header: ` t=${KNOWN.t} , v1=${KNOWN.v1} `, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t) }), true, 'spaces around parts');
  });

  test('a wrong secret, a changed body or a changed timestamp fails', () => {
    const header = `t=${KNOWN.t},v1=${KNOWN.v1}`;
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: 'whsec_other', now: at(KNOWN.t) }), false);
    assert.equal(verifySignature({ header, body: `${KNOWN.body} `, secret: KNOWN.secret, now: at(KNOWN.t) }), false);
    assert.equal(verifySignature({ header: `t=${KNOWN.t + 1},v1=${KNOWN.v1}`, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t) }), false);
  });

  test('a timestamp outside the tolerance is refused (replay)', () => {
    const header = `t=${KNOWN.t},v1=${KNOWN.v1}`;
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t + 300) }), true);
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t + 301) }), false);
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t - 301) }), false);
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t + 3600), toleranceSeconds: 3600 }), true);
  });

  test('any one of several v1 signatures may match; other schemes are ignored', () => {
    const other = sign('whsec_old', KNOWN.t, KNOWN.body);
    const header = `t=${KNOWN.t},v0=abc,v1=${other},v1=${KNOWN.v1}`;
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t) }), true);
    assert.equal(verifySignature({ header, body: KNOWN.body, secret: 'whsec_old', now: at(KNOWN.t) }), true);
  });

  test('malformed headers fail', () => {
    for (const header of ['', `v1=${KNOWN.v1}`, `t=${KNOWN.t}`, `t=abc,v1=${KNOWN.v1}`, `t=${KNOWN.t},v1=${KNOWN.v1.slice(2)}`, `t=${KNOWN.t},v1=${KNOWN.v1.toUpperCase()}`]) {
      assert.equal(verifySignature({ header, body: KNOWN.body, secret: KNOWN.secret, now: at(KNOWN.t) }), false, header);
    }
  });
});
