// Header field values (RFC 3261 §7.3, §20, §25.1): list splitting, quoted strings, name-addr,
// Via, CSeq and the other fields every request needs.
import { SipSyntaxError, isToken } from './sip-syntax-error.ts';
import { parseUri, type Params, type Uri } from './sip-uri.ts';

/** Splits a header value on commas that are outside quotes and angle brackets (§7.3.1). */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) { out.push(value.slice(start, i).trim()); start = i + 1; }
  }
  if (quoted) throw new SipSyntaxError('unterminated quoted string');
  out.push(value.slice(start).trim());
  return out;
}

/** Reads `"…"` at `pos` (§25.1 quoted-string with quoted-pair); returns the text and the end index. */
export function readQuoted(s: string, pos: number): { text: string; end: number } {
  let text = '';
  for (let i = pos + 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') { if (i + 1 >= s.length) break; text += s[++i]; continue; }
    if (c === '"') return { text, end: i + 1 };
    text += c;
  }
  throw new SipSyntaxError('unterminated quoted string');
}

/** Splits `;name=value` parameters, honouring quoted values (§25.1 generic-param). */
export function parseHeaderParams(text: string): Params {
  const out: Params = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] !== ';') throw new SipSyntaxError(`expected ";" in parameters "${s.slice(0, 40)}"`);
    i++;
    let j = i;
    while (j < s.length && s[j] !== ';' && s[j] !== '=') j++;
    const name = s.slice(i, j).trim();
    if (!isToken(name)) throw new SipSyntaxError(`bad parameter name "${name.slice(0, 40)}"`);
    let value: string | null = null;
    if (s[j] === '=') {
      j++;
      while (s[j] === ' ' || s[j] === '\t') j++;
      if (s[j] === '"') {
        const q = readQuoted(s, j);
        value = q.text;
        j = q.end;
        while (s[j] === ' ' || s[j] === '\t') j++;
      } else {
        const k = s.indexOf(';', j);
        value = s.slice(j, k < 0 ? s.length : k).trim();
        if (!/^[A-Za-z0-9\-.!%*_+`'~:[\]]*$/.test(value)) throw new SipSyntaxError(`bad value for parameter ${name}`);
        j = k < 0 ? s.length : k;
      }
    }
    out.push([name, value]);
    i = j;
  }
  return out;
}

export const paramOf = (params: Params, name: string): string | null | undefined =>
  params.find(([n]) => n.toLowerCase() === name)?.[1];

/** name-addr / addr-spec with header parameters (§20.10, §25.1). */
export interface NameAddr {
  displayName?: string | undefined;
  uri: Uri;
  /** The URI exactly as written. */
  uriText: string;
  params: Params;
}

export function parseNameAddr(value: string): NameAddr {
  const s = value.trim();
  let displayName: string | undefined;
  let uriText: string;
  let rest: string;
  const lt = s.indexOf('<');
  if (s.startsWith('"')) {
    const q = readQuoted(s, 0);
    displayName = q.text;
    const after = s.slice(q.end).trimStart();
    if (!after.startsWith('<')) throw new SipSyntaxError('a quoted display name must be followed by <URI>');
    ({ uriText, rest } = bracketed(after));
  } else if (lt >= 0) {
    const name = s.slice(0, lt).trim();
    // §25.1: an unquoted display name is a sequence of tokens separated by LWS.
    if (name !== '' && !name.split(/[ \t]+/).every(isToken)) throw new SipSyntaxError(`bad display name "${name.slice(0, 40)}"`);
    if (name !== '') displayName = name;
    ({ uriText, rest } = bracketed(s.slice(lt)));
  } else {
    // §20.10: without <>, everything after the first ";" is a header parameter, and the URI
    // may not contain "," ";" or "?".
    const semi = s.indexOf(';');
    uriText = (semi < 0 ? s : s.slice(0, semi)).trim();
    rest = semi < 0 ? '' : s.slice(semi);
    if (/[?,\s]/.test(uriText)) throw new SipSyntaxError('an addr-spec with "?" "," or spaces must be inside <>');
  }
  return { displayName, uri: parseUri(uriText), uriText, params: parseHeaderParams(rest) };
}

function bracketed(s: string): { uriText: string; rest: string } {
  const gt = s.indexOf('>');
  if (gt < 0) throw new SipSyntaxError('missing ">"');
  return { uriText: s.slice(1, gt).trim(), rest: s.slice(gt + 1) };
}

/** Via (§20.42): sent-protocol, sent-by and parameters; `rport` is RFC 3581. */
export interface Via {
  protocol: string;
  transport: string;
  host: string;
  port?: number | undefined;
  params: Params;
  branch?: string | undefined;
  received?: string | undefined;
  /** null: `rport` present without a value (a request for it); a number: filled in. */
  rport?: number | null | undefined;
}

export function parseVia(value: string): Via {
  const m = /^([A-Za-z0-9\-.!%*_+`'~]+)[ \t]*\/[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]*\/[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]+([^;]+?)[ \t]*(;.*)?$/s.exec(value.trim());
  if (!m) throw new SipSyntaxError(`bad Via "${value.slice(0, 60)}"`);
  const sentBy = m[4]!;
  const hp = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?:[ \t]*:[ \t]*(\d{1,5}))?$/.exec(sentBy);
  if (!hp || (hp[2] !== undefined && Number(hp[2]) > 65535)) throw new SipSyntaxError(`bad Via sent-by "${sentBy.slice(0, 60)}"`);
  const params = parseHeaderParams(m[5] ?? '');
  const rport = paramOf(params, 'rport');
  if (typeof rport === 'string' && !/^\d{1,5}$/.test(rport)) throw new SipSyntaxError('bad rport');
  const branch = paramOf(params, 'branch');
  const received = paramOf(params, 'received');
  return {
    protocol: `${m[1]}/${m[2]}`.toUpperCase(), transport: m[3]!.toUpperCase(), host: hp[1]!.toLowerCase(),
    port: hp[2] === undefined ? undefined : Number(hp[2]), params,
    branch: branch ?? undefined, received: received ?? undefined,
    rport: rport === undefined ? undefined : rport === null ? null : Number(rport),
  };
}

export const viaSentBy = (v: Via): string => (v.port === undefined ? v.host : `${v.host}:${v.port}`);

/** CSeq (§20.16): a 32-bit unsigned sequence number and a method. */
export function parseCSeq(value: string): { seq: number; method: string } {
  const m = /^(\d{1,10})[ \t]+([^\s]+)$/.exec(value.trim());
  if (!m || Number(m[1]) > 0xffffffff || !isToken(m[2]!)) throw new SipSyntaxError(`bad CSeq "${value.slice(0, 40)}"`);
  return { seq: Number(m[1]), method: m[2]! };
}

/** A non-negative decimal of at most `digits` digits, e.g. Content-Length, Max-Forwards, Expires. */
export function parseCount(value: string, what: string, max: number): number {
  const v = value.trim();
  if (!/^\d{1,10}$/.test(v) || Number(v) > max) throw new SipSyntaxError(`bad ${what} "${v.slice(0, 20)}"`);
  return Number(v);
}
