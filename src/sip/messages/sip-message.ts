// The typed form of a SIP message (RFC 3261 §7). Header fields are kept in order and exactly as
// received, so a field this stack does not know is passed on byte for byte.
import type { NameAddr, Via } from './header-values.ts';
import { canonicalName, LIST_HEADERS, prettyName } from './header-names.ts';
import { splitList } from './header-values.ts';
import type { Uri } from './sip-uri.ts';

export interface HeaderField {
  /** The name as written (may be compact, any case). */
  name: string;
  /** Lower-case long form, for lookups. */
  key: string;
  /** The value with folding replaced by one space and outer whitespace trimmed (latin1 = raw bytes). */
  value: string;
  /** The whole line(s) as received, including folding, without the final CRLF; absent for added fields. */
  raw?: string | undefined;
}

interface MessageBase {
  headers: HeaderField[];
  body: Buffer;
  /** Parsed forms of the fields every message needs (§8.1.1); Via values top first. */
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: { seq: number; method: string };
}

export interface SipRequest extends MessageBase {
  kind: 'request';
  method: string;
  /** The Request-URI as written and parsed. */
  uriText: string;
  uri: Uri;
  version: string;
  maxForwards?: number | undefined;
}

export interface SipResponse extends MessageBase {
  kind: 'response';
  status: number;
  reason: string;
  version: string;
}

export type SipMessage = SipRequest | SipResponse;

/** All values of a header, in order; a list header's lines are split into their elements (§7.3.1). */
export const headerValues = (m: { headers: HeaderField[] }, name: string): string[] => {
  const key = canonicalName(name);
  const lines = m.headers.filter((h) => h.key === key).map((h) => h.value);
  if (!LIST_HEADERS.has(key)) return lines;
  return lines.flatMap((v) => {
    try {
      return splitList(v).filter((x) => x !== '');
    } catch {
      return [v]; // an unbalanced quote: the line stays whole for the caller to reject
    }
  });
};

export const header = (m: { headers: HeaderField[] }, name: string): string | undefined => headerValues(m, name)[0];

/** A new header field; `value` is ordinary text and is stored as its UTF-8 bytes (latin1 form). */
export const field = (name: string, value: string | number): HeaderField => {
  const key = canonicalName(name);
  return { name: prettyName(key), key, value: Buffer.from(String(value), 'utf8').toString('latin1') };
};
