// Identity normalization (pure): one person matches however a number or address was written.
// Phones: E.164 (ITU-T Rec. E.164) through libphonenumber-js with its full metadata, so a number is
// checked against its country's numbering plan; sip:/sips: URIs (RFC 3261 §19.1) and tel: URIs
// (RFC 3966) are reduced to their number first. E-mail: lower-cased and checked against the HTML
// Standard's "valid e-mail address" (§4.10.5.1.5), domain in its ASCII form (IDNA, UTS #46).
import { domainToASCII } from 'node:url';
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { DomainError } from '../kernel/index.ts';
import { IdentityKind, isIdentityKind, type IdentityInput } from './customer-model.ts';

export interface NormalizedIdentity {
  kind: IdentityKind;
  /** What lookups match: E.164 for phones, the lower-cased address for e-mail, the id as given otherwise. */
  value: string;
  original: string;
  /** Key for duplicate suggestions: a phone's last 8 national digits, an e-mail without its sub-address. */
  matchKey: string | null;
}

export interface NormalizeOptions {
  /** ISO 3166-1 alpha-2 region for national-format numbers; without one they are rejected. */
  defaultRegion?: string | null | undefined;
  /** The field named in errors (dotted path). */
  field?: string | undefined;
}

const MAX_RAW = 256;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
const MAX_EMAIL = 254;
/** Trailing national digits compared by the "same last 8 digits" duplicate rule. */
export const PHONE_TAIL_DIGITS = 8;

// HTML Standard §4.10.5.1.5 "valid e-mail address", with at least two domain labels.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The region code in upper case if libphonenumber knows its numbering plan. */
export function normalizeRegion(region: string, field = 'defaultRegion'): CountryCode {
  const r = region.trim().toUpperCase();
  if (!isSupportedCountry(r)) throw new DomainError('SB_VALIDATION', 400, `${field} must be an ISO 3166-1 alpha-2 region with a numbering plan, e.g. CN, HK, TW, US`, { field });
  return r;
}

/** The number part of a raw phone string: a SIP or tel URI loses its scheme, host and parameters. */
export function phoneDigitsOf(raw: string): string {
  let s = raw.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  const uri = /^(sips?|tel):(.*)$/i.exec(s);
  if (uri) {
    s = uri[2]!;
    if (uri[1]!.toLowerCase() !== 'tel') {
      const at = s.lastIndexOf('@');
      if (at >= 0) s = s.slice(0, at);
    }
    const semi = s.indexOf(';');
    if (semi >= 0) s = s.slice(0, semi);
    try { s = decodeURIComponent(s); } catch { /* keep it as written; parsing rejects it */ }
  }
  return s.trim();
}

function normalizePhone(raw: string, opts: NormalizeOptions, field: string): NormalizedIdentity {
  const invalid = (why: string) => new DomainError('SB_CRM_PHONE_INVALID', 400, `${field} ${why}`, { field });
  let s = phoneDigitsOf(raw);
  const region = opts.defaultRegion ? normalizeRegion(opts.defaultRegion) : undefined;
  // ITU-T Rec. E.164 Annex A: 00 is the recommended international prefix; with a region, its own prefix applies.
  if (!region && /^00[1-9]/.test(s)) s = `+${s.slice(2)}`;
  const international = s.startsWith('+');
  if (!international && !region) {
    throw invalid('is a national number: give it with its country code (+86 ..., +1 ...) or set the workspace\'s default region');
  }
  const parsed = parsePhoneNumberFromString(s, region);
  if (!parsed) throw invalid('is not a phone number');
  if (!parsed.isValid()) throw invalid(`is not a valid number in the numbering plan of +${parsed.countryCallingCode}`);
  const national = parsed.nationalNumber;
  return { kind: IdentityKind.Phone, value: parsed.number, original: raw, matchKey: national.slice(-PHONE_TAIL_DIGITS) };
}

function normalizeEmail(raw: string, field: string): NormalizedIdentity {
  const invalid = () => new DomainError('SB_CRM_EMAIL_INVALID', 400, `${field} is not a valid e-mail address`, { field });
  let s = raw.trim();
  if (/^mailto:/i.test(s)) s = s.slice('mailto:'.length);
  const at = s.lastIndexOf('@');
  if (at <= 0) throw invalid();
  const domain = domainToASCII(s.slice(at + 1));
  if (!domain) throw invalid();
  const value = `${s.slice(0, at)}@${domain}`.toLowerCase();
  if (value.length > MAX_EMAIL || !EMAIL.test(value)) throw invalid();
  const local = value.slice(0, value.lastIndexOf('@'));
  // RFC 5233: "user+detail" is the same mailbox as "user" at most providers.
  const plus = local.indexOf('+');
  const matchKey = `${plus > 0 ? local.slice(0, plus) : local}@${domain}`;
  return { kind: IdentityKind.Email, value, original: raw, matchKey };
}

function normalizeOpaque(kind: IdentityKind, raw: string, field: string): NormalizedIdentity {
  const value = raw.trim();
  if (!value || CONTROL.test(value)) throw new DomainError('SB_VALIDATION', 400, `${field} must be a non-empty ${kind} id without control characters`, { field });
  return { kind, value, original: raw, matchKey: null };
}

/** Normalizes one identity or throws a 400 DomainError naming `opts.field` (never echoing the value). */
export function normalizeIdentity(input: IdentityInput, opts: NormalizeOptions = {}): NormalizedIdentity {
  const field = opts.field ?? 'value';
  if (!isIdentityKind(input.kind)) throw new DomainError('SB_VALIDATION', 400, `${field}: unknown identity kind`, { field });
  if (typeof input.value !== 'string' || input.value.length > MAX_RAW) {
    throw new DomainError('SB_VALIDATION', 400, `${field} must be a string of at most ${MAX_RAW} characters`, { field });
  }
  switch (input.kind) {
    case IdentityKind.Phone: return normalizePhone(input.value, opts, field);
    case IdentityKind.Email: return normalizeEmail(input.value, field);
    default: return normalizeOpaque(input.kind, input.value, field);
  }
}

/** The identity if it normalizes, else undefined (a caller id such as "anonymous" matches nobody). */
export function tryNormalizeIdentity(input: IdentityInput, opts: NormalizeOptions = {}): NormalizedIdentity | undefined {
  try {
    return normalizeIdentity(input, opts);
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}

/**
 * What a phone number typed into a search box may start with in E.164: the digits after a +, or as
 * dialled within the default region (its trunk prefix 0 dropped, its country code put in front).
 */
export function phoneSearchPrefixes(text: string, defaultRegion: string | null): string[] {
  if (!/^\+?[\d\s().-]+$/.test(text.trim())) return [];
  const digits = text.replace(/\D/g, '');
  if (digits.length < 3) return [];
  if (text.trim().startsWith('+')) return [`+${digits}`];
  const out = [`+${digits}`];
  if (/^00[1-9]/.test(digits)) out.push(`+${digits.slice(2)}`);
  if (defaultRegion && isSupportedCountry(defaultRegion)) out.push(`+${getCountryCallingCode(defaultRegion)}${digits.replace(/^0/, '')}`);
  return out;
}
