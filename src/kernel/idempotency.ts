// Idempotent creation (draft-ietf-httpapi-idempotency-key-header): the key is claimed before the work
// runs; the same key with the same body within the TTL answers the stored first answer again; another
// body is a 422, a request still running a 409. A failure releases the key, so the request may be retried.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { DomainError } from './errors.ts';

/** Keys are remembered for 24 hours (the draft leaves the expiry to the server). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;

export interface IdempotencyRecord {
  fingerprint: string;
  /** Null while the first request is still running. */
  status: number | null;
  response: string | null;
}

/** One domain's table of keys, already scoped to a tenant by its adapter. */
export interface IdempotencyKeys {
  /** Forgets keys created before `olderThan` (ISO UTC). */
  purge(olderThan: string): Promise<void>;
  /** Claims a key for a request in progress; false when the key is already there. */
  claim(key: string, fingerprint: string, now: string): Promise<boolean>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  complete(key: string, resultId: string, status: number, response: string): Promise<void>;
  /** Drops a claim whose request failed (a completed key stays). */
  release(key: string): Promise<void>;
}

/** SHA-256 of the body as RFC 8785 canonical JSON, so that equal bodies have one fingerprint. */
export const requestFingerprint = (body: unknown): string => createHash('sha256').update(canonicalize(body) ?? 'null').digest('hex');

export interface IdempotentResult<T> {
  status: number;
  value: T;
  /** True when this is the stored answer of an earlier request. */
  replayed: boolean;
}

/**
 * Runs `work` once per key. `codePrefix` names the domain in the error codes:
 * `<prefix>_IDEMPOTENCY_MISMATCH` (422) and `<prefix>_IDEMPOTENCY_IN_PROGRESS` (409).
 */
export async function runOnce<T>(
  keys: IdempotencyKeys,
  request: { key: string; body: unknown; now: number; codePrefix: string },
  work: () => Promise<{ status: number; value: T; id: string }>,
): Promise<IdempotentResult<T>> {
  const { key, now, codePrefix } = request;
  const inProgress = () => new DomainError(`${codePrefix}_IDEMPOTENCY_IN_PROGRESS`, 409, 'a request with this Idempotency-Key is being processed; retry later');
  await keys.purge(new Date(now - IDEMPOTENCY_TTL_MS).toISOString());
  const fingerprint = requestFingerprint(request.body);
  if (!await keys.claim(key, fingerprint, new Date(now).toISOString())) {
    const prior = await keys.get(key);
    if (!prior) throw inProgress();
    if (prior.fingerprint !== fingerprint) throw new DomainError(`${codePrefix}_IDEMPOTENCY_MISMATCH`, 422, 'this Idempotency-Key was used with a different request body');
    if (prior.response === null || prior.status === null) throw inProgress();
    return { status: prior.status, value: JSON.parse(prior.response) as T, replayed: true };
  }
  let done: { status: number; value: T; id: string };
  try {
    done = await work();
  } catch (err) {
    await keys.release(key);
    throw err;
  }
  await keys.complete(key, done.id, done.status, JSON.stringify(done.value));
  return { status: done.status, value: done.value, replayed: false };
}
