// Session descriptions (RFC 8866, formerly RFC 4566): parse into a typed object, serialize with CRLF.
//
// RFC 8866 §5 line order:
//   session:  v= o= s= [i=] [u=] *e= *p= [c=] *b= 1*( t= *r= ) [z=] [k=] *a=
//   media:    m= [i=] *c= *b= [k=] *a=
// Parsing is tolerant (LF-only line ends, trailing whitespace, blank lines, lines out of order,
// unknown type letters skipped) but refuses what cannot be used: no v=0, no valid o=, a bad m= or c=.

export interface Origin {
  username: string;
  /** Kept as text: session ids and versions are 64-bit numbers in practice. */
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

export interface Connection {
  netType: string;
  /** 'IP4' or 'IP6' (other values are kept as sent). */
  addrType: string;
  /** The address without any /ttl or /count suffix. */
  address: string;
  /** Multicast suffix as sent, e.g. '/127/3'; empty for unicast. */
  suffix: string;
}

export interface Bandwidth {
  type: string;
  kbps: number;
}

export interface Timing {
  start: string;
  stop: string;
  /** r= lines that follow this t= line, as sent. */
  repeats: string[];
}

/** `a=name:value`, or `a=name` (a property attribute: value undefined). Order is kept. */
export interface Attribute {
  name: string;
  value?: string;
}

export interface MediaDescription {
  media: string;
  port: number;
  /** The /number-of-ports suffix of m=, when sent. */
  portCount?: number;
  proto: string;
  formats: string[];
  information?: string;
  connections: Connection[];
  bandwidths: Bandwidth[];
  key?: string;
  attributes: Attribute[];
}

export interface SessionDescription {
  origin: Origin;
  sessionName: string;
  information?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: Connection;
  bandwidths: Bandwidth[];
  timings: Timing[];
  timeZones?: string;
  key?: string;
  attributes: Attribute[];
  media: MediaDescription[];
}

export type SdpResult = { ok: true; value: SessionDescription } | { ok: false; reason: string };

const MAX_SDP_LENGTH = 65_536;

function parseConnection(value: string): Connection | undefined {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 3) return undefined;
  const [netType, addrType, full] = parts as [string, string, string];
  const slash = full.indexOf('/');
  const address = slash < 0 ? full : full.slice(0, slash);
  if (address === '') return undefined;
  if (addrType === 'IP4' && !/^[0-9A-Za-z.-]+$/.test(address)) return undefined;
  if (addrType === 'IP6' && !/^[0-9A-Fa-f:.]+$/.test(address)) return undefined;
  return { netType, addrType, address, suffix: slash < 0 ? '' : full.slice(slash) };
}

function parseBandwidth(value: string): Bandwidth | undefined {
  const m = /^([A-Za-z0-9-]+):(\d+)$/.exec(value.trim());
  if (m === null) return undefined;
  return { type: m[1] ?? '', kbps: Number(m[2]) };
}

function parseAttribute(value: string): Attribute {
  const colon = value.indexOf(':');
  if (colon < 0) return { name: value };
  return { name: value.slice(0, colon), value: value.slice(colon + 1) };
}

function parseMedia(value: string): MediaDescription | string {
  const parts = value.trim().split(/\s+/);
  if (parts.length < 4) return 'm= line needs media, port, proto and at least one format';
  const [media, portText, proto, ...formats] = parts as [string, string, string, ...string[]];
  const pm = /^(\d{1,5})(?:\/(\d{1,5}))?$/.exec(portText);
  if (pm === null) return `m= line has a bad port: ${portText.slice(0, 20)}`;
  const port = Number(pm[1]);
  if (port > 65_535) return `m= line has a bad port: ${port}`;
  const m: MediaDescription = { media, port, proto, formats, connections: [], bandwidths: [], attributes: [] };
  if (pm[2] !== undefined) {
    const count = Number(pm[2]);
    if (count < 1) return 'm= line has a bad port count';
    m.portCount = count;
  }
  return m;
}

function parseOrigin(value: string): Origin | undefined {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 6) return undefined;
  const [username, sessionId, sessionVersion, netType, addrType, address] = parts as [string, string, string, string, string, string];
  if (!/^\d+$/.test(sessionId) || !/^\d+$/.test(sessionVersion)) return undefined;
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

/** Parses an SDP body. Never throws. */
export function parseSdp(text: string): SdpResult {
  if (text.length > MAX_SDP_LENGTH) return { ok: false, reason: 'SDP too long' };
  const lines = text.split(/\r?\n|\r/).map((l) => l.trimEnd()).filter((l) => l !== '');
  const first = lines[0];
  if (first === undefined || !first.startsWith('v=')) return { ok: false, reason: 'SDP must start with v=' };
  if (first.slice(2).trim() !== '0') return { ok: false, reason: 'unsupported SDP version' };
  let origin: Origin | undefined;
  const session: Omit<SessionDescription, 'origin'> = {
    sessionName: '-', emails: [], phones: [], bandwidths: [], timings: [], attributes: [], media: [],
  };
  let media: MediaDescription | undefined;
  for (const line of lines.slice(1)) {
    if (line.length < 2 || line[1] !== '=') return { ok: false, reason: `malformed line: ${line.slice(0, 40)}` };
    const type = line[0];
    const value = line.slice(2);
    if (type === 'v') return { ok: false, reason: 'repeated v= line' };
    if (type === 'o' && media !== undefined) return { ok: false, reason: 'o= line after m=' };
    if (type === 'm') {
      const m = parseMedia(value);
      if (typeof m === 'string') return { ok: false, reason: m };
      session.media.push(m);
      media = m;
      continue;
    }
    if (media !== undefined) {
      switch (type) {
        case 'i': media.information = value; break;
        case 'c': {
          const c = parseConnection(value);
          if (c === undefined) return { ok: false, reason: 'malformed c= line' };
          media.connections.push(c);
          break;
        }
        case 'b': {
          const b = parseBandwidth(value);
          if (b !== undefined) media.bandwidths.push(b);
          break;
        }
        case 'k': media.key = value; break;
        case 'a': media.attributes.push(parseAttribute(value)); break;
        default: break;
      }
      continue;
    }
    switch (type) {
      case 'o': {
        if (origin !== undefined) return { ok: false, reason: 'repeated o= line' };
        origin = parseOrigin(value);
        if (origin === undefined) return { ok: false, reason: 'malformed o= line' };
        break;
      }
      case 's': session.sessionName = value === '' ? ' ' : value; break;
      case 'i': session.information = value; break;
      case 'u': session.uri = value; break;
      case 'e': session.emails.push(value); break;
      case 'p': session.phones.push(value); break;
      case 'c': {
        const c = parseConnection(value);
        if (c === undefined) return { ok: false, reason: 'malformed c= line' };
        session.connection = c;
        break;
      }
      case 'b': {
        const b = parseBandwidth(value);
        if (b !== undefined) session.bandwidths.push(b);
        break;
      }
      case 't': {
        const t = /^(\d+)\s+(\d+)$/.exec(value.trim());
        if (t === null) return { ok: false, reason: 'malformed t= line' };
        session.timings.push({ start: t[1] ?? '0', stop: t[2] ?? '0', repeats: [] });
        break;
      }
      case 'r': session.timings.at(-1)?.repeats.push(value); break;
      case 'z': session.timeZones = value; break;
      case 'k': session.key = value; break;
      case 'a': session.attributes.push(parseAttribute(value)); break;
      default: break;
    }
  }
  if (origin === undefined) return { ok: false, reason: 'missing o= line' };
  return { ok: true, value: { origin, ...session } };
}

const connectionLine = (c: Connection): string => `c=${c.netType} ${c.addrType} ${c.address}${c.suffix}\r\n`;
const attributeLine = (a: Attribute): string => (a.value === undefined ? `a=${a.name}\r\n` : `a=${a.name}:${a.value}\r\n`);

/** Serializes in RFC 8866 §5 order with CRLF line ends; a missing t= is written as `t=0 0`. */
export function serializeSdp(sd: SessionDescription): string {
  const o = sd.origin;
  let out = 'v=0\r\n';
  out += `o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}\r\n`;
  out += `s=${sd.sessionName}\r\n`;
  if (sd.information !== undefined) out += `i=${sd.information}\r\n`;
  if (sd.uri !== undefined) out += `u=${sd.uri}\r\n`;
  for (const e of sd.emails) out += `e=${e}\r\n`;
  for (const p of sd.phones) out += `p=${p}\r\n`;
  if (sd.connection !== undefined) out += connectionLine(sd.connection);
  for (const b of sd.bandwidths) out += `b=${b.type}:${b.kbps}\r\n`;
  const timings = sd.timings.length > 0 ? sd.timings : [{ start: '0', stop: '0', repeats: [] }];
  for (const t of timings) {
    out += `t=${t.start} ${t.stop}\r\n`;
    for (const r of t.repeats) out += `r=${r}\r\n`;
  }
  if (sd.timeZones !== undefined) out += `z=${sd.timeZones}\r\n`;
  if (sd.key !== undefined) out += `k=${sd.key}\r\n`;
  for (const a of sd.attributes) out += attributeLine(a);
  for (const m of sd.media) {
    out += `m=${m.media} ${m.port}${m.portCount === undefined ? '' : `/${m.portCount}`} ${m.proto} ${m.formats.join(' ')}\r\n`;
    if (m.information !== undefined) out += `i=${m.information}\r\n`;
    for (const c of m.connections) out += connectionLine(c);
    for (const b of m.bandwidths) out += `b=${b.type}:${b.kbps}\r\n`;
    if (m.key !== undefined) out += `k=${m.key}\r\n`;
    for (const a of m.attributes) out += attributeLine(a);
  }
  return out;
}

/** The first value of attribute `name` (case-insensitive name), or undefined. */
export function attributeValue(attributes: readonly Attribute[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower)?.value;
}
