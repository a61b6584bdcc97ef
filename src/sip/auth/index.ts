// SIP digest authentication: header values in and out as plain strings, no dependency on the
// message parser. Callers map `DigestAuthenticator.verify` outcomes to responses (see VerifyResult).
export {
  type AuthHeader,
  type AuthHeaderResult,
  type DigestChallenge,
  type DigestCredentials,
  type DigestCredentialsResult,
  parseAuthHeader,
  toDigestChallenge,
  toDigestCredentials,
  serializeChallenge,
  serializeCredentials,
} from './auth-params.ts';
export {
  DigestAlgorithm,
  type DigestHash,
  type DigestResponseInput,
  parseAlgorithm,
  hashOf,
  ha1,
  digestResponse,
  verifyResponse,
  constantTimeEqual,
} from './digest.ts';
export { NonceService, type NonceServiceDeps, type NonceCheck, type NonceUse } from './nonce.ts';
export { FloodLimiter, type FloodLimiterDeps } from './flood-limiter.ts';
export {
  DigestAuthenticator,
  type DigestAuthenticatorDeps,
  type ChallengeRequest,
  type VerifyRequest,
  type VerifyResult,
} from './digest-authenticator.ts';
export { answerChallenge, type ClientCredentials } from './digest-client.ts';
