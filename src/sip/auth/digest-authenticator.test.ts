import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../kernel/index.ts';
import { parseAuthHeader, serializeCredentials, toDigestChallenge } from './auth-params.ts';
import type { DigestChallenge } from './auth-params.ts';
import { DigestAuthenticator } from './digest-authenticator.ts';
import type { DigestAuthenticatorDeps } from './digest-authenticator.ts';
import { digestResponse, ha1, parseAlgorithm } from './digest.ts';
import type { DigestHash } from './digest.ts';

const REALM = 'sb.example';
const URI = 'sip:sb.example';
const users = new Map([['alice', 'wonderland'], ['bob', 'builder']]);

function setup(overrides: Partial<DigestAuthenticatorDeps> = {}) {
  const clock = new ManualClock();
  const lookups: string[] = [];
  const store = new Map<string, string>();
  for (const [user, password] of users) {
    for (const hash of ['MD5', 'SHA-256'] as const) store.set(`${REALM}/${user}/${hash}`, ha1(hash, user, REALM, password));
  }
  const auth = new DigestAuthenticator({
    clock,
    secret: 'registrar secret for the tests',
    lookupHa1: async (realm: string, username: string, algorithm: DigestHash) => {
      lookups.push(`${username}/${algorithm}`);
      return store.get(`${realm}/${username}/${algorithm}`);
    },
    nonceTtlMs: 60_000,
    failureLimit: 3,
    failureWindowMs: 60_000,
    blockMs: 300_000,
    ...overrides,
  });
  return { clock, auth, lookups };
}

function firstChallenge(auth: DigestAuthenticator, index = 0): DigestChallenge {
  const header = auth.challenge({ realm: REALM })[index];
  assert.ok(header !== undefined);
  const parsed = parseAuthHeader(header);
  assert.ok(parsed.ok);
  const c = toDigestChallenge(parsed.value);
  assert.ok(c.ok);
  return c.value;
}

/** What a UA sends back: the real client-side computation from the challenge. */
function answer(challenge: DigestChallenge, o: { user: string; password: string; nc?: number; uri?: string; method?: string; qop?: boolean }): string {
  const algorithm = parseAlgorithm(challenge.algorithm);
  assert.ok(algorithm !== undefined);
  const uri = o.uri ?? URI;
  const method = o.method ?? 'REGISTER';
  const withQop = o.qop ?? true;
  const nc = (o.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = 'c0ffee42';
  const response = digestResponse({
    algorithm, ha1: ha1(algorithm, o.user, challenge.realm, o.password), nonce: challenge.nonce, method, uri,
    ...(withQop ? { qop: 'auth', nc, cnonce } : {}),
  });
  return serializeCredentials({
    username: o.user, realm: challenge.realm, nonce: challenge.nonce, uri, response,
    ...(challenge.algorithm === undefined ? {} : { algorithm: challenge.algorithm }),
    ...(withQop ? { qop: 'auth', nc, cnonce } : {}),
  });
}

const req = (credentialsHeader: string | undefined, sourceIp = '192.0.2.10', method = 'REGISTER') =>
  ({ method, requestUri: URI, credentialsHeader, sourceIp, realm: REALM });

describe('RFC 8760 §2.4 / RFC 3261 §22.4: challenges', () => {
  it('offers SHA-256 first, then MD5, one challenge each, qop=auth', () => {
    const { auth } = setup();
    const headers = auth.challenge({ realm: REALM });
    assert.equal(headers.length, 2);
    assert.match(headers[0] ?? '', /^Digest realm="sb\.example", nonce="[^"]+", algorithm=SHA-256, qop="auth"$/);
    assert.match(headers[1] ?? '', /algorithm=MD5/);
    assert.ok(!(headers[0] ?? '').includes('stale'));
    assert.match(auth.challenge({ realm: REALM, stale: true })[0] ?? '', /stale=true/);
  });

  it('a request without credentials is challenged', async () => {
    const { auth } = setup();
    assert.deepEqual(await auth.verify(req(undefined)), { outcome: 'challenge', stale: false });
  });
});

describe('RFC 7616 §3.4: verification', () => {
  for (const index of [0, 1]) {
    it(`accepts a correct response to the ${index === 0 ? 'SHA-256' : 'MD5'} challenge`, async () => {
      const { auth } = setup();
      const c = firstChallenge(auth, index);
      const result = await auth.verify(req(answer(c, { user: 'alice', password: 'wonderland' })));
      assert.deepEqual(result, { outcome: 'ok', username: 'alice' });
    });
  }

  it('accepts the RFC 2069 form (no qop) from an old UA, once per nonce', async () => {
    const { auth } = setup();
    const c = firstChallenge(auth, 1);
    const creds = answer(c, { user: 'bob', password: 'builder', qop: false });
    assert.deepEqual(await auth.verify(req(creds)), { outcome: 'ok', username: 'bob' });
    assert.deepEqual(await auth.verify(req(creds)), { outcome: 'challenge', stale: true });
  });

  it('a wrong password is forbidden', async () => {
    const { auth } = setup();
    const c = firstChallenge(auth);
    assert.deepEqual(await auth.verify(req(answer(c, { user: 'alice', password: 'nope' }))), { outcome: 'forbidden' });
  });

  it('a replayed nc is refused; a higher nc on the same nonce is accepted', async () => {
    const { auth } = setup();
    const c = firstChallenge(auth);
    const first = answer(c, { user: 'alice', password: 'wonderland', nc: 1 });
    assert.equal((await auth.verify(req(first))).outcome, 'ok');
    assert.deepEqual(await auth.verify(req(first)), { outcome: 'challenge', stale: true });
    assert.equal((await auth.verify(req(answer(c, { user: 'alice', password: 'wonderland', nc: 2 })))).outcome, 'ok');
  });

  it('an expired nonce with the right password gives stale=true; with a wrong one, forbidden', async () => {
    const { auth, clock } = setup();
    const c = firstChallenge(auth);
    clock.advance(60_001);
    assert.deepEqual(await auth.verify(req(answer(c, { user: 'alice', password: 'wonderland' }))), { outcome: 'challenge', stale: true });
    assert.deepEqual(await auth.verify(req(answer(c, { user: 'alice', password: 'bad' }))), { outcome: 'forbidden' });
  });

  it('a tampered or foreign nonce is re-challenged without stale and without testing the password', async () => {
    const { auth, lookups } = setup();
    const c = firstChallenge(auth);
    const tampered = { ...c, nonce: `${c.nonce.slice(0, -2)}${c.nonce.endsWith('AA') ? 'BB' : 'AA'}` };
    assert.deepEqual(await auth.verify(req(answer(tampered, { user: 'alice', password: 'wonderland' }))), { outcome: 'challenge', stale: false });
    const foreign = { ...c, nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v' };
    assert.deepEqual(await auth.verify(req(answer(foreign, { user: 'alice', password: 'wonderland' }))), { outcome: 'challenge', stale: false });
    assert.deepEqual(lookups, []);
  });

  it('RFC 2617 §3.2.2.5: a uri other than the Request-URI is a bad request', async () => {
    const { auth } = setup();
    const c = firstChallenge(auth);
    const creds = answer(c, { user: 'alice', password: 'wonderland', uri: 'sip:other.example' });
    assert.deepEqual(await auth.verify(req(creds)), { outcome: 'bad-request' });
  });

  it('a response computed for another method does not verify', async () => {
    const { auth } = setup();
    const c = firstChallenge(auth);
    const creds = answer(c, { user: 'alice', password: 'wonderland', method: 'INVITE' });
    assert.deepEqual(await auth.verify(req(creds, '192.0.2.10', 'REGISTER')), { outcome: 'forbidden' });
  });

  it('a realm other than the expected one is re-challenged', async () => {
    const { auth } = setup({ realmFor: () => 'other.example' });
    const c = firstChallenge(auth);
    assert.deepEqual(await auth.verify(req(answer(c, { user: 'alice', password: 'wonderland' }))), { outcome: 'challenge', stale: false });
  });

  it('malformed credentials are a bad request; another scheme is challenged; an unknown algorithm is challenged', async () => {
    const { auth } = setup();
    assert.deepEqual(await auth.verify(req('Digest username="alice", realm="sb.example"')), { outcome: 'bad-request' });
    assert.deepEqual(await auth.verify(req('Digest username="al')), { outcome: 'bad-request' });
    assert.deepEqual(await auth.verify(req('Basic YWxpY2U6d29uZGVybGFuZA==')), { outcome: 'challenge', stale: false });
    const c = { ...firstChallenge(auth), algorithm: 'SHA-512-256' };
    const creds = serializeCredentials({ username: 'alice', realm: REALM, nonce: c.nonce, uri: URI, response: 'x', algorithm: 'SHA-512-256' });
    assert.deepEqual(await auth.verify(req(creds)), { outcome: 'challenge', stale: false });
  });
});

describe('unknown user vs wrong password', () => {
  it('give identical challenges, the same outcome and the same lookup and hash work', async () => {
    const { auth, lookups } = setup();
    const before = firstChallenge(auth);
    const c = firstChallenge(auth);
    assert.deepEqual(Object.keys(before), Object.keys(c));
    const known = await auth.verify(req(answer(c, { user: 'alice', password: 'guess' }), '192.0.2.1'));
    const unknown = await auth.verify(req(answer(c, { user: 'mallory', password: 'guess' }), '192.0.2.2'));
    assert.deepEqual(known, unknown);
    assert.deepEqual(known, { outcome: 'forbidden' });
    assert.deepEqual(lookups, ['alice/SHA-256', 'mallory/SHA-256']);
  });

  it('an unknown user is blocked after the same number of failures as a known one', async () => {
    const { auth } = setup();
    const outcomes = async (user: string, ip: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) seen.push((await auth.verify(req(answer(firstChallenge(auth), { user, password: 'guess' }), ip))).outcome);
      return seen;
    };
    assert.deepEqual(await outcomes('alice', '192.0.2.1'), await outcomes('mallory', '192.0.2.2'));
  });
});

describe('failure blocking per user and address', () => {
  it('blocks after failureLimit failures, answers blocked even to the right password, unblocks after blockMs', async () => {
    const { auth, clock, lookups } = setup();
    const ip = '203.0.113.5';
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: `guess${i}` }), ip)), { outcome: 'forbidden' });
    }
    const lookupsBefore = lookups.length;
    assert.deepEqual(await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'wonderland' }), ip)), { outcome: 'blocked' });
    assert.equal(lookups.length, lookupsBefore, 'no password test while blocked');
    clock.advance(299_999);
    assert.deepEqual(await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'wonderland' }), ip)), { outcome: 'blocked' });
    clock.advance(1);
    assert.deepEqual(await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'wonderland' }), ip)), { outcome: 'ok', username: 'alice' });
  });

  it('a block does not affect the same user from another address, nor another user from the same address', async () => {
    const { auth } = setup();
    for (let i = 0; i < 3; i++) await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'x' }), '203.0.113.5'));
    assert.equal((await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'wonderland' }), '203.0.113.5'))).outcome, 'blocked');
    assert.equal((await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'wonderland' }), '198.51.100.9'))).outcome, 'ok');
    assert.equal((await auth.verify(req(answer(firstChallenge(auth), { user: 'bob', password: 'builder' }), '203.0.113.5'))).outcome, 'ok');
  });

  it('failures older than the window do not count', async () => {
    const { auth, clock } = setup();
    const ip = '203.0.113.6';
    for (let i = 0; i < 2; i++) await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'x' }), ip));
    clock.advance(60_000);
    await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'x' }), ip));
    assert.equal((await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'wonderland' }), ip))).outcome, 'ok');
  });

  it('a success clears the failure count', async () => {
    const { auth } = setup();
    const ip = '203.0.113.7';
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'x' }), ip));
      assert.equal((await auth.verify(req(answer(firstChallenge(auth), { user: 'alice', password: 'wonderland' }), ip))).outcome, 'ok');
    }
  });
});

describe('flood limit', () => {
  it('answers blocked beyond floodLimitPerSecond from one address, and recovers', async () => {
    const { auth, clock } = setup({ floodLimitPerSecond: 5 });
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) outcomes.push((await auth.verify(req(undefined, '192.0.2.99'))).outcome);
    assert.deepEqual(outcomes, ['challenge', 'challenge', 'challenge', 'challenge', 'challenge', 'blocked', 'blocked', 'blocked']);
    assert.equal((await auth.verify(req(undefined, '192.0.2.100'))).outcome, 'challenge');
    clock.advance(1000);
    assert.equal((await auth.verify(req(undefined, '192.0.2.99'))).outcome, 'challenge');
  });
});
