// Time-based one-time passwords (RFC 6238, SHA-1, 6 digits, 30 s steps) for optional two-factor login.
import { Secret, TOTP } from 'otpauth';

const PERIOD_S = 30;

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totpFor = (secret: string, label = '', issuer = 'Switchboard'): TOTP =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_S, secret: Secret.fromBase32(secret) });

export const totpUri = (secret: string, label: string, issuer: string): string => totpFor(secret, label, issuer).toString();

export const totpCode = (secret: string, atMs: number): string => totpFor(secret).generate({ timestamp: atMs });

/**
 * Checks a code within ±1 step (RFC 6238 §5.2) and returns the step it matched, or undefined.
 * Callers refuse a step at or before the last one accepted, so a code cannot be replayed.
 */
export function matchTotp(secret: string, code: string, atMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpFor(secret).validate({ token: code, timestamp: atMs, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(atMs / 1000 / PERIOD_S) + delta;
}
