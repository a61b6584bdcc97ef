// The webhook signature (pure, no I/O), the scheme Stripe documents for its webhooks:
//   Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 (RFC 2104, FIPS 180-4) of "<t>.<body>">
// keyed with the subscription's secret as UTF-8 text. Signing the timestamp with the body lets a
// receiver refuse a captured request replayed outside its tolerance window.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Switchboard-Signature';
export const EVENT_HEADER = 'Switchboard-Event';
export const DELIVERY_HEADER = 'Switchboard-Delivery';

/** Five minutes either side, as Stripe's libraries default to. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${sign(secret, timestamp, body)}`;
}

export interface VerifyInput {
  header: string;
  /** The raw request body, exactly as received. */
  body: string;
  secret: string;
  /** The receiver's clock, milliseconds since the epoch. */
  now: number;
  toleranceSeconds?: number;
}

/** True when one `v1` of the header matches and `t` is within the tolerance of `now`; compared in constant time. */
export function verifySignature(v: VerifyInput): boolean {
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of v.header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^[0-9]{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (Math.abs(v.now / 1000 - timestamp) > (v.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(sign(v.secret, timestamp, v.body), 'hex');
  return candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
}
