// Digest verifications per second (SHA-256 and MD5) against 10,000 users held in memory.
// Each verification is a full DigestAuthenticator.verify: parse, nonce check, HA1 lookup,
// response hash, nc bookkeeping. Run: node bench/sip-digest.ts
import { systemClock } from '../src/kernel/index.ts';
import { DigestAlgorithm, DigestAuthenticator, digestResponse, ha1, serializeCredentials } from '../src/sip/auth/index.ts';
import type { DigestHash } from '../src/sip/auth/index.ts';

const USERS = 10_000;
const REALM = 'bench.example';
const URI = 'sip:bench.example';
const ROUNDS = 3;

const store = new Map<string, string>();
for (let i = 0; i < USERS; i++) {
  for (const hash of ['MD5', 'SHA-256'] as const) store.set(`${hash}/user${i}`, ha1(hash, `user${i}`, REALM, `password-${i}`));
}

const auth = new DigestAuthenticator({
  clock: systemClock,
  secret: 'bench secret, long enough for hmac',
  lookupHa1: (_realm: string, username: string, algorithm: DigestHash) => Promise.resolve(store.get(`${algorithm}/${username}`)),
  nonceTtlMs: 300_000,
  failureLimit: 5,
  failureWindowMs: 60_000,
  blockMs: 60_000,
});

function nonceFrom(header: string): string {
  const m = /nonce="([^"]+)"/.exec(header);
  if (m?.[1] === undefined) throw new Error('challenge without nonce');
  return m[1];
}

/** One credentials header per user, each on its own nonce (prepared outside the timed loop). */
function prepare(algorithm: typeof DigestAlgorithm.MD5 | typeof DigestAlgorithm.SHA256): string[] {
  const headers: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const nonce = nonceFrom(auth.challenge({ realm: REALM, algorithms: [algorithm] })[0] ?? '');
    const username = `user${i}`;
    const cnonce = `c${i}`;
    const response = digestResponse({
      algorithm, ha1: ha1(algorithm, username, REALM, `password-${i}`), nonce, method: 'REGISTER', uri: URI,
      qop: 'auth', nc: '00000001', cnonce,
    });
    headers.push(serializeCredentials({ username, realm: REALM, nonce, uri: URI, response, algorithm, qop: 'auth', nc: '00000001', cnonce }));
  }
  return headers;
}

async function run(algorithm: typeof DigestAlgorithm.MD5 | typeof DigestAlgorithm.SHA256): Promise<number> {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const headers = prepare(algorithm);
    const start = process.hrtime.bigint();
    for (let i = 0; i < headers.length; i++) {
      const r = await auth.verify({ method: 'REGISTER', requestUri: URI, credentialsHeader: headers[i], sourceIp: `10.0.${i >> 8}.${i & 255}`, realm: REALM });
      if (r.outcome !== 'ok') throw new Error(`user${i}: ${r.outcome}`);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, headers.length / seconds);
  }
  return best;
}

const sha = await run(DigestAlgorithm.SHA256);
const md5 = await run(DigestAlgorithm.MD5);
console.log(`digest verify, ${USERS} distinct users, best of ${ROUNDS} rounds (node ${process.version})`);
console.log(`  SHA-256: ${Math.round(sha).toLocaleString('en-US')} verifications/s`);
console.log(`  MD5:     ${Math.round(md5).toLocaleString('en-US')} verifications/s`);
console.log(`  SHA-256 / MD5 ratio: ${(sha / md5).toFixed(2)}`);
