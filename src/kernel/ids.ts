import { randomBytes, randomUUIDv7 } from 'node:crypto';

/**
 * A row id: a UUID version 7 (RFC 9562 §5.7), 48 bits of Unix milliseconds then 74 random bits,
 * so ids made later sort later and a table's primary key grows at its end instead of at random
 * places in its b-tree (bench/row-ids.ts measures what that saves). Ids name rows, never grant
 * anything: secrets and tokens come from `randomToken`.
 */
export const newId = (): string => randomUUIDv7();

/** A URL-safe random token of `bytes` bytes of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
