// Digest challenge and credentials header values: parse into auth-params, serialize back.
//
// RFC 3261 §25.1 / RFC 7235 §2.1 grammar, as far as it matters here:
//   challenge   = "Digest" LWS digest-cln *(COMMA digest-cln)
//   auth-param  = token LWS "=" LWS ( token / quoted-string )
//   quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
// LWS may contain a folded line end (CRLF followed by SP or HTAB).

/** An auth header value split into its scheme and its auth-params (names lower-cased). */
export interface AuthHeader {
  scheme: string;
  params: ReadonlyMap<string, string>;
}

export type AuthHeaderResult = { ok: true; value: AuthHeader } | { ok: false; reason: string };

/** What a server puts in WWW-Authenticate / Proxy-Authenticate (RFC 7616 §3.3). */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm?: string;
  /** qop-options offered, e.g. `['auth']`; absent for the RFC 2069 form. */
  qop?: readonly string[];
  opaque?: string;
  domain?: string;
  stale?: boolean;
  userhash?: boolean;
}

/** What a client puts in Authorization / Proxy-Authorization (RFC 7616 §3.4). */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  /** The one qop the client chose; absent for the RFC 2069 form. */
  qop?: string;
  /** nonce-count as sent: 8 hex digits. */
  nc?: string;
  cnonce?: string;
  opaque?: string;
  userhash?: boolean;
}

export type DigestCredentialsResult = { ok: true; value: DigestCredentials } | { ok: false; reason: string };

const MAX_HEADER_LENGTH = 8192;

// RFC 3261 §25.1 token characters.
const isTokenChar = (c: string): boolean => /[A-Za-z0-9\-.!%*_+`'~]/.test(c);

class Cursor {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  /** Skips LWS, including a folded line end (CRLF then whitespace). */
  skipLws(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t') {
        this.pos++;
      } else if ((c === '\r' || c === '\n') && this.#foldFollows()) {
        this.pos += c === '\r' && this.text[this.pos + 1] === '\n' ? 2 : 1;
      } else {
        return;
      }
    }
  }

  #foldFollows(): boolean {
    let p = this.pos;
    if (this.text[p] === '\r') p++;
    if (this.text[p] === '\n') p++;
    const next = this.text[p];
    return p > this.pos && (next === ' ' || next === '\t');
  }

  token(): string {
    const start = this.pos;
    while (!this.done && isTokenChar(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A value written as a bare token; lenient: anything up to whitespace, comma or quote. */
  bareValue(): string {
    const start = this.pos;
    while (!this.done && !/[\s,"]/.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A quoted-string with quoted-pairs unescaped; undefined when unterminated or holding a bare CR/LF. */
  quoted(): string | undefined {
    this.pos++;
    let out = '';
    while (!this.done) {
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        if (next === undefined || next === '\r' || next === '\n') return undefined;
        out += next;
        this.pos += 2;
        continue;
      }
      if (c === '\r' || c === '\n') {
        if (!this.#foldFollows()) return undefined;
        this.skipLws();
        out += ' ';
        continue;
      }
      out += c;
      this.pos++;
    }
    return undefined;
  }
}

/**
 * Parses one `Digest ...` (or other scheme) header value into its auth-params.
 * Never throws: malformed input gives `{ ok: false, reason }` naming what is wrong.
 * A parameter name appearing twice is an error (RFC 7235 §2.1).
 */
export function parseAuthHeader(value: string): AuthHeaderResult {
  if (value.length > MAX_HEADER_LENGTH) return { ok: false, reason: 'header too long' };
  const cur = new Cursor(value);
  cur.skipLws();
  const scheme = cur.token();
  if (scheme === '') return { ok: false, reason: 'missing auth scheme' };
  const params = new Map<string, string>();
  if (cur.done) return { ok: true, value: { scheme, params } };
  const afterScheme = cur.pos;
  cur.skipLws();
  if (cur.pos === afterScheme) return { ok: false, reason: 'auth scheme not followed by whitespace' };
  for (;;) {
    cur.skipLws();
    if (cur.done) break;
    if (cur.peek() === ',') {
      cur.pos++;
      continue;
    }
    const name = cur.token().toLowerCase();
    if (name === '') return { ok: false, reason: `unexpected character at ${cur.pos}` };
    cur.skipLws();
    if (cur.peek() !== '=') return { ok: false, reason: `auth-param ${name} has no value` };
    cur.pos++;
    cur.skipLws();
    let v: string | undefined;
    if (cur.peek() === '"') {
      v = cur.quoted();
      if (v === undefined) return { ok: false, reason: `unterminated quoted-string in ${name}` };
    } else {
      v = cur.bareValue();
      if (v === '') return { ok: false, reason: `auth-param ${name} has an empty value` };
    }
    if (params.has(name)) return { ok: false, reason: `auth-param ${name} repeated` };
    params.set(name, v);
    cur.skipLws();
    if (cur.done) break;
    if (cur.peek() !== ',') return { ok: false, reason: `expected comma after ${name}` };
    cur.pos++;
  }
  return { ok: true, value: { scheme, params } };
}

const NC = /^[0-9a-fA-F]{8}$/;

/**
 * Reads Digest credentials out of parsed auth-params (RFC 7616 §3.4, RFC 3261 §22.4).
 * username, realm, nonce, uri and response are required; with qop, nc and cnonce are too.
 */
export function toDigestCredentials(header: AuthHeader): DigestCredentialsResult {
  if (header.scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'scheme is not Digest' };
  const p = header.params;
  const username = p.get('username');
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  const uri = p.get('uri');
  const response = p.get('response');
  if (username === undefined) return { ok: false, reason: 'missing username' };
  if (realm === undefined) return { ok: false, reason: 'missing realm' };
  if (nonce === undefined) return { ok: false, reason: 'missing nonce' };
  if (uri === undefined) return { ok: false, reason: 'missing uri' };
  if (response === undefined) return { ok: false, reason: 'missing response' };
  const creds: DigestCredentials = { username, realm, nonce, uri, response };
  const algorithm = p.get('algorithm');
  if (algorithm !== undefined) creds.algorithm = algorithm;
  const qop = p.get('qop');
  if (qop !== undefined) {
    const nc = p.get('nc');
    const cnonce = p.get('cnonce');
    // RFC 7616 §3.4: cnonce and nc MUST be sent when qop is.
    if (nc === undefined || cnonce === undefined) return { ok: false, reason: 'qop without nc or cnonce' };
    if (!NC.test(nc)) return { ok: false, reason: 'nc is not 8 hex digits' };
    creds.qop = qop;
    creds.nc = nc;
    creds.cnonce = cnonce;
  }
  const opaque = p.get('opaque');
  if (opaque !== undefined) creds.opaque = opaque;
  const userhash = p.get('userhash');
  if (userhash !== undefined) creds.userhash = userhash.toLowerCase() === 'true';
  return { ok: true, value: creds };
}

/** Reads a Digest challenge out of parsed auth-params (RFC 7616 §3.3). */
export function toDigestChallenge(header: AuthHeader): { ok: true; value: DigestChallenge } | { ok: false; reason: string } {
  if (header.scheme.toLowerCase() !== 'digest') return { ok: false, reason: 'scheme is not Digest' };
  const p = header.params;
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  if (realm === undefined) return { ok: false, reason: 'missing realm' };
  if (nonce === undefined) return { ok: false, reason: 'missing nonce' };
  const c: DigestChallenge = { realm, nonce };
  const algorithm = p.get('algorithm');
  if (algorithm !== undefined) c.algorithm = algorithm;
  const qop = p.get('qop');
  if (qop !== undefined) c.qop = qop.split(',').map((q) => q.trim()).filter((q) => q !== '');
  const opaque = p.get('opaque');
  if (opaque !== undefined) c.opaque = opaque;
  const domain = p.get('domain');
  if (domain !== undefined) c.domain = domain;
  const stale = p.get('stale');
  if (stale !== undefined) c.stale = stale.toLowerCase() === 'true';
  const userhash = p.get('userhash');
  if (userhash !== undefined) c.userhash = userhash.toLowerCase() === 'true';
  return { ok: true, value: c };
}

/** A quoted-string, escaping `"` and `\` as quoted-pairs. */
export const quote = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * `Digest realm="...", ...` for a 401/407. RFC 7616 §3.3: realm, domain, nonce, opaque and the
 * qop list are quoted; stale, algorithm and userhash are tokens.
 */
export function serializeChallenge(c: DigestChallenge): string {
  const parts = [`realm=${quote(c.realm)}`];
  if (c.domain !== undefined) parts.push(`domain=${quote(c.domain)}`);
  parts.push(`nonce=${quote(c.nonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (c.stale !== undefined) parts.push(`stale=${c.stale ? 'true' : 'false'}`);
  if (c.algorithm !== undefined) parts.push(`algorithm=${c.algorithm}`);
  if (c.qop !== undefined && c.qop.length > 0) parts.push(`qop=${quote(c.qop.join(','))}`);
  if (c.userhash !== undefined) parts.push(`userhash=${c.userhash ? 'true' : 'false'}`);
  return `Digest ${parts.join(', ')}`;
}

/**
 * `Digest username="...", ...` for Authorization. RFC 7616 §3.4: username, realm, nonce, uri,
 * response, cnonce and opaque are quoted; algorithm, qop and nc are not.
 */
export function serializeCredentials(c: DigestCredentials): string {
  const parts = [
    `username=${quote(c.username)}`,
    `realm=${quote(c.realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(c.uri)}`,
    `response=${quote(c.response)}`,
  ];
  if (c.algorithm !== undefined) parts.push(`algorithm=${c.algorithm}`);
  if (c.cnonce !== undefined) parts.push(`cnonce=${quote(c.cnonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (c.qop !== undefined) parts.push(`qop=${c.qop}`);
  if (c.nc !== undefined) parts.push(`nc=${c.nc}`);
  if (c.userhash !== undefined) parts.push(`userhash=${c.userhash ? 'true' : 'false'}`);
  return `Digest ${parts.join(', ')}`;
}
