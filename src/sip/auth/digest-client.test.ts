// RFC 3261 §22.2 / RFC 7616 §3.4: the credentials we send verify at a real DigestAuthenticator, and
// only for the realm we were given.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../kernel/index.ts';
import { DigestAuthenticator } from './digest-authenticator.ts';
import { answerChallenge } from './digest-client.ts';
import { DigestAlgorithm, ha1 } from './digest.ts';

const server = () => new DigestAuthenticator({
  clock: new ManualClock(0), secret: 'a secret of enough length',
  lookupHa1: async (realm, username, hash) => (username === 'trunk' && realm === 'carrier.example' ? ha1(hash === 'SHA-256' ? DigestAlgorithm.SHA256 : DigestAlgorithm.MD5, 'trunk', realm, 'pw') : undefined),
  nonceTtlMs: 60_000, failureLimit: 5, failureWindowMs: 60_000, blockMs: 60_000,
});
const creds = { username: 'trunk', password: 'pw', realm: 'carrier.example' };

describe('§22.2 answering a challenge', () => {
  for (const algorithms of [[DigestAlgorithm.MD5], [DigestAlgorithm.SHA256], [DigestAlgorithm.MD5, DigestAlgorithm.SHA256]]) {
    test(`the answer to ${algorithms.join(' + ')} verifies at the server (SHA-256 preferred)`, async () => {
      const s = server();
      const answer = answerChallenge(s.challenge({ realm: 'carrier.example', algorithms }), creds, 'INVITE', 'sip:+15551234567@carrier.example');
      assert.ok(answer);
      if (algorithms.includes(DigestAlgorithm.SHA256)) assert.match(answer, /algorithm=SHA-256/);
      const v = await s.verify({ method: 'INVITE', requestUri: 'sip:+15551234567@carrier.example', credentialsHeader: answer, sourceIp: '127.0.0.1', realm: 'carrier.example' });
      assert.deepEqual(v, { outcome: 'ok', username: 'trunk' });
    });
  }

  test('a challenge for another realm is not answered', () => {
    const s = server();
    assert.equal(answerChallenge(s.challenge({ realm: 'evil.example' }), creds, 'INVITE', 'sip:x@evil.example'), undefined);
  });

  test('garbage and unsupported schemes or algorithms are not answered', () => {
    assert.equal(answerChallenge(['Basic realm="carrier.example"', 'Digest realm="carrier.example", nonce="n", algorithm=AKAv1-MD5', ';;;'], creds, 'INVITE', 'sip:x'), undefined);
  });
});
