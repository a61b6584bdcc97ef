// SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966), with %HH escapes decoded in the user part
// and parameters (§19.1.2). Any other scheme is kept opaque so the caller can answer 416 (§8.2.2.1).
import { SipSyntaxError, isToken } from './sip-syntax-error.ts';

/** Ordered parameters; a value of null is a parameter without `=value` (e.g. `;lr`). */
export type Params = [name: string, value: string | null][];

export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string | undefined;
  password?: string | undefined;
  /** Host name, IPv4 address, or IPv6 reference with its brackets (`[2001:db8::1]`). */
  host: string;
  port?: number | undefined;
  params: Params;
  /** `?name=value&…` headers, decoded. */
  headers: [string, string][];
}

export interface TelUri {
  scheme: 'tel';
  number: string;
  params: Params;
}

/** Any other absoluteURI (RFC 3261 §25.1), e.g. `http:`, `urn:`, `isbn:`. */
export interface OtherUri {
  scheme: string;
  opaque: string;
}

export type Uri = SipUri | TelUri | OtherUri;

export const isSipUri = (u: Uri): u is SipUri => u.scheme === 'sip' || u.scheme === 'sips';
export const isTelUri = (u: Uri): u is TelUri => u.scheme === 'tel';

/** §19.1.2: %HH → byte; the result is read as UTF-8 where it forms UTF-8, else byte-for-byte. */
export function unescape(s: string): string {
  if (!s.includes('%')) return s;
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) throw new SipSyntaxError(`bad escape in "${s.slice(0, 40)}"`);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') { bytes.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; }
    else bytes.push(...Buffer.from(s[i]!, 'latin1'));
  }
  const buf = Buffer.from(bytes);
  const utf8 = buf.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(buf) ? utf8 : buf.toString('latin1');
}

/** Escapes what may not appear literally in a user part or parameter (inverse of `unescape`). */
export function escape(s: string, keep: RegExp): string {
  let out = '';
  for (const ch of s) {
    if (keep.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const USER_CHARS = /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/;
const PASSWORD_CHARS = /[A-Za-z0-9\-_.!~*'()&=+$,]/;
const PARAM_CHARS = /[A-Za-z0-9\-_.!~*'()[\]/:&+$]/;
const HEADER_CHARS = /[A-Za-z0-9\-_.!~*'()[\]/?:+$]/;
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9\-.]*[A-Za-z0-9])?\.?|\d{1,3}(?:\.\d{1,3}){3})$/;

export function parseParams(text: string, what: string): Params {
  const out: Params = [];
  if (text === '') return out;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (name === '') throw new SipSyntaxError(`empty ${what} parameter`);
    const value = eq < 0 ? null : part.slice(eq + 1).trim();
    out.push([unescape(name), value === null ? null : unescape(value)]);
  }
  return out;
}

/** Parses one URI. Throws SipSyntaxError when a sip/sips/tel URI is malformed. */
export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0 || /[\s<>"]/.test(text)) throw new SipSyntaxError(`not a URI: "${text.slice(0, 60)}"`);
  const scheme = text.slice(0, colon).toLowerCase();
  if (!/^[a-z][a-z0-9+\-.]*$/.test(scheme)) throw new SipSyntaxError(`bad URI scheme in "${text.slice(0, 60)}"`);
  const rest = text.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, rest);
  if (scheme === 'tel') {
    const [number = '', ...params] = rest.split(';');
    if (!/^\+?[0-9A-Fa-f*#\-.()pw]+$/.test(number)) throw new SipSyntaxError(`bad tel number "${number.slice(0, 40)}"`);
    return { scheme: 'tel', number, params: parseParams(params.join(';'), 'tel') };
  }
  if (rest === '') throw new SipSyntaxError(`empty ${scheme} URI`);
  return { scheme, opaque: rest };
}

function parseSipUri(scheme: 'sip' | 'sips', rest: string): SipUri {
  // §19.1.1: userinfo ends at the first "@" (an "@" elsewhere must be escaped).
  const at = rest.indexOf('@');
  let user: string | undefined;
  let password: string | undefined;
  let hostPart = rest;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    hostPart = rest.slice(at + 1);
    const pc = userinfo.indexOf(':');
    user = unescape(pc < 0 ? userinfo : userinfo.slice(0, pc));
    if (pc >= 0) password = unescape(userinfo.slice(pc + 1));
    if (user === '' && password === undefined) throw new SipSyntaxError('empty user part');
  }
  const q = hostPart.indexOf('?');
  const headerText = q < 0 ? '' : hostPart.slice(q + 1);
  if (q >= 0) hostPart = hostPart.slice(0, q);
  const semi = hostPart.indexOf(';');
  const paramText = semi < 0 ? '' : hostPart.slice(semi + 1);
  const hostport = semi < 0 ? hostPart : hostPart.slice(0, semi);
  let host = hostport;
  let port: number | undefined;
  const portMatch = /^(.*?):(\d*)$/.exec(hostport);
  if (portMatch && !hostport.endsWith(']') && (hostport.startsWith('[') || !portMatch[1]!.includes(':'))) {
    host = portMatch[1]!;
    if (portMatch[2] === '' || Number(portMatch[2]) > 65535) throw new SipSyntaxError(`bad port in "${hostport}"`);
    port = Number(portMatch[2]);
  }
  if (!HOST.test(host)) throw new SipSyntaxError(`bad host "${host.slice(0, 60)}"`);
  const headers: [string, string][] = [];
  if (headerText !== '') {
    for (const h of headerText.split('&')) {
      const eq = h.indexOf('=');
      if (eq <= 0) throw new SipSyntaxError('bad URI header');
      headers.push([unescape(h.slice(0, eq)), unescape(h.slice(eq + 1))]);
    }
  }
  const params = parseParams(paramText, 'URI');
  for (const [name] of params) if (!/^[^\s]+$/.test(name)) throw new SipSyntaxError('bad URI parameter');
  return { scheme, user, password, host: host.toLowerCase(), port, params, headers };
}

export function formatParams(params: Params, keep = PARAM_CHARS): string {
  return params.map(([n, v]) => `;${escape(n, keep)}${v === null ? '' : `=${escape(v, keep)}`}`).join('');
}

export function formatUri(u: Uri): string {
  if (isSipUri(u)) {
    const userinfo = u.user === undefined ? '' : `${escape(u.user, USER_CHARS)}${u.password === undefined ? '' : `:${escape(u.password, PASSWORD_CHARS)}`}@`;
    const port = u.port === undefined ? '' : `:${u.port}`;
    const headers = u.headers.length ? `?${u.headers.map(([n, v]) => `${escape(n, HEADER_CHARS)}=${escape(v, HEADER_CHARS)}`).join('&')}` : '';
    return `${u.scheme}:${userinfo}${u.host}${port}${formatParams(u.params)}${headers}`;
  }
  if (isTelUri(u)) return `tel:${u.number}${formatParams(u.params)}`;
  return `${u.scheme}:${(u as OtherUri).opaque}`;
}

export const uriParam = (u: SipUri | TelUri, name: string): string | null | undefined =>
  u.params.find(([n]) => n.toLowerCase() === name)?.[1];

export { isToken };
