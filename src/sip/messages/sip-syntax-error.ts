// A message or header that does not follow RFC 3261 §25. `code` tells the receiver what to answer.

/**
 * - `malformed`: the message cannot be understood (stateless 400 for requests, dropped for responses).
 * - `framing`: Content-Length is missing (streams), negative, non-numeric or conflicting (§18.3, §20.14).
 * - `incomplete`: the body is shorter than Content-Length (UDP: 400; streams: wait for more bytes).
 */
export type SipSyntaxCode = 'malformed' | 'framing' | 'incomplete';

export class SipSyntaxError extends Error {
  readonly code: SipSyntaxCode;
  constructor(message: string, code: SipSyntaxCode = 'malformed') {
    super(message);
    this.name = 'SipSyntaxError';
    this.code = code;
  }
}

/** RFC 3261 §25.1 token characters. */
export const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
export const isToken = (s: string): boolean => TOKEN.test(s);
