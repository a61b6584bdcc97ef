import { randomBytes, randomUUID } from 'node:crypto';

/** A random UUID (v4) for row ids. */
export const newId = (): string => randomUUID();

/** A URL-safe random token of `bytes` bytes of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
