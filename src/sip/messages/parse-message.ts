// Bytes → SipMessage (RFC 3261 §7, §25). Works on latin1 text, so every byte of a header field maps
// to one character and unknown fields survive unchanged; the body stays a Buffer framed only by
// Content-Length (§18.3, §20.14), never by scanning for CRLF or NUL.
import { canonicalName } from './header-names.ts';
import { parseCSeq, parseCount, parseNameAddr, parseVia, splitList, type NameAddr } from './header-values.ts';
import type { HeaderField, SipMessage } from './sip-message.ts';
import { SipSyntaxError, isToken } from './sip-syntax-error.ts';
import { parseUri } from './sip-uri.ts';

export interface ParseOptions {
  /** Stream transports (TCP, TLS) need Content-Length; on UDP a missing one means "the rest" (§18.3). */
  stream?: boolean;
}

export type ParseResult =
  | { ok: true; message: SipMessage }
  /**
   * `kind` and `headers` hold what could be read, so a request can still get a stateless 400
   * (§8.2.6) carrying its Via, From, To, Call-ID and CSeq.
   */
  | { ok: false; error: SipSyntaxError; kind?: 'request' | 'response' | undefined; method?: string | undefined; headers: HeaderField[] };

const MAX_HEADERS = 256;

/** latin1 (raw bytes) text → the UTF-8 it encodes, where it is valid UTF-8. */
export function utf8Of(latin1: string): string {
  const buf = Buffer.from(latin1, 'latin1');
  const text = buf.toString('utf8');
  return text.includes('\uFFFD') ? latin1 : text;
}

/** Where the header section ends: the index after the empty line, or -1. */
export function headerEnd(buf: Buffer, from = 0): { end: number; bodyStart: number } | undefined {
  for (let i = from; i < buf.length - 1; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i + 1] === 0x0a) return { end: i, bodyStart: i + 2 };
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return { end: i, bodyStart: i + 3 };
  }
  return undefined;
}

/** Skips the CRLFs that may precede a start line (§7.5). */
export function skipLeadingCrlf(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x0d || buf[i] === 0x0a)) i++;
  return i;
}

export function parseMessage(input: Buffer, options: ParseOptions = {}): ParseResult {
  const headers: HeaderField[] = [];
  let kind: 'request' | 'response' | undefined;
  let method: string | undefined;
  try {
    const start = skipLeadingCrlf(input);
    // A datagram may end right after its last header line (no empty line, no body).
    const he = headerEnd(input, start) ?? (options.stream ? undefined : { end: input.length, bodyStart: input.length });
    if (!he) throw new SipSyntaxError('no empty line after the header fields', 'incomplete');
    const lines = input.toString('latin1', start, he.end).replace(/\r?\n$/, '').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const startLine = lines.shift() ?? '';
    kind = startLine.startsWith('SIP/') ? 'response' : 'request';
    readHeaders(lines, headers);

    const lengths = new Set(headers.filter((h) => h.key === 'content-length').map((h) => h.value));
    if (lengths.size > 1) throw new SipSyntaxError('conflicting Content-Length values', 'framing');
    const [lengthText] = lengths;
    let bodyLength: number;
    if (lengthText === undefined) {
      if (options.stream) throw new SipSyntaxError('Content-Length is required on a stream', 'framing');
      bodyLength = input.length - he.bodyStart;
    } else {
      if (!/^\d{1,9}$/.test(lengthText)) throw new SipSyntaxError(`bad Content-Length "${lengthText.slice(0, 20)}"`, 'framing');
      bodyLength = Number(lengthText);
    }
    if (he.bodyStart + bodyLength > input.length) throw new SipSyntaxError('the body is shorter than Content-Length', 'incomplete');
    // §18.3: octets after Content-Length on a datagram are discarded.
    const body = Buffer.from(input.subarray(he.bodyStart, he.bodyStart + bodyLength));

    const common = commonFields(headers);
    if (kind === 'response') {
      const m = /^SIP\/(\d+\.\d+) (\d{3}) (.*)$/.exec(startLine);
      if (!m) throw new SipSyntaxError(`bad status line "${startLine.slice(0, 60)}"`);
      if (m[1] !== '2.0') throw new SipSyntaxError(`unsupported SIP version ${m[1]}`);
      const status = Number(m[2]);
      if (status < 100 || status > 699) throw new SipSyntaxError(`status code ${status} out of range`);
      return { ok: true, message: { kind, status, reason: utf8Of(m[3]!), version: 'SIP/2.0', headers, body, ...common } };
    }
    const parts = startLine.split(' ');
    if (parts.length !== 3) throw new SipSyntaxError(`bad request line "${startLine.slice(0, 60)}"`);
    const [m0, uriText, version] = parts as [string, string, string];
    if (!isToken(m0)) throw new SipSyntaxError(`bad method "${m0.slice(0, 30)}"`);
    method = m0;
    if (!/^SIP\/\d+\.\d+$/i.test(version)) throw new SipSyntaxError(`bad SIP version "${version.slice(0, 20)}"`);
    const uri = parseUri(uriText);
    const mf = headers.filter((h) => h.key === 'max-forwards');
    if (mf.length > 1) throw new SipSyntaxError('more than one Max-Forwards');
    const maxForwards = mf[0] ? parseCount(mf[0].value, 'Max-Forwards', 255) : undefined;
    return { ok: true, message: { kind, method, uriText, uri, version: version.toUpperCase(), maxForwards, headers, body, ...common } };
  } catch (err) {
    if (!(err instanceof SipSyntaxError)) throw err;
    return { ok: false, error: err, kind, method, headers };
  }
}

function readHeaders(lines: string[], out: HeaderField[]): void {
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // §7.3.1: a line starting with whitespace continues the previous field.
      const prev = out.at(-1);
      if (!prev) throw new SipSyntaxError('a continuation line before any header field');
      prev.value = `${prev.value} ${line.trim()}`.trim();
      prev.raw = `${prev.raw}\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipSyntaxError(`bad header line "${line.slice(0, 40)}"`);
    const name = line.slice(0, colon).trimEnd();
    if (!isToken(name)) throw new SipSyntaxError(`bad header name "${name.slice(0, 40)}"`);
    if (out.length >= MAX_HEADERS) throw new SipSyntaxError('too many header fields');
    out.push({ name, key: canonicalName(name), value: line.slice(colon + 1).trim(), raw: line });
  }
}

function single(headers: HeaderField[], key: string, label: string): string {
  const found = headers.filter((h) => h.key === key);
  if (found.length === 0) throw new SipSyntaxError(`missing ${label}`);
  if (found.length > 1) throw new SipSyntaxError(`more than one ${label}`);
  return found[0]!.value;
}

function nameAddr(value: string): NameAddr {
  const na = parseNameAddr(value);
  if (na.displayName !== undefined) na.displayName = utf8Of(na.displayName);
  return na;
}

/** Via, From, To, Call-ID and CSeq (§8.1.1), plus a syntax check of Contact. */
function commonFields(headers: HeaderField[]) {
  const viaLines = headers.filter((h) => h.key === 'via');
  if (viaLines.length === 0) throw new SipSyntaxError('missing Via');
  const via = viaLines.flatMap((h) => splitList(h.value)).map((v) => {
    if (v === '') throw new SipSyntaxError('empty Via value');
    return parseVia(v);
  });
  const from = nameAddr(single(headers, 'from', 'From'));
  const to = nameAddr(single(headers, 'to', 'To'));
  const callId = single(headers, 'call-id', 'Call-ID');
  if (!/^[^\s@]+(@[^\s@]+)?$/.test(callId)) throw new SipSyntaxError('bad Call-ID');
  const cseq = parseCSeq(single(headers, 'cseq', 'CSeq'));
  for (const h of headers) {
    if (h.key !== 'contact' || h.value === '*') continue;
    for (const c of splitList(h.value)) {
      if (c === '') throw new SipSyntaxError('empty Contact value');
      nameAddr(c);
    }
  }
  return { via, from, to, callId, cseq };
}
