// The offer/answer model for audio (RFC 3264) with G.711 (RFC 3551 §4.5.14: PCMU PT 0, PCMA PT 8)
// and RFC 4733 telephone-event. Pure: descriptions in, descriptions and decisions out.
import { attributeValue, parseSdp, serializeSdp } from './sdp.ts';
import type { Attribute, MediaDescription, SessionDescription } from './sdp.ts';

export const Direction = {
  SENDRECV: 'sendrecv',
  SENDONLY: 'sendonly',
  RECVONLY: 'recvonly',
  INACTIVE: 'inactive',
} as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

export const AudioCodec = { PCMU: 'PCMU', PCMA: 'PCMA' } as const;
export type AudioCodec = (typeof AudioCodec)[keyof typeof AudioCodec];

const STATIC_PT: Record<AudioCodec, number> = { PCMU: 0, PCMA: 8 };
const G711_RATE = 8000;
const TELEPHONE_EVENT = 'telephone-event';
const DEFAULT_TELEPHONE_EVENT_PT = 101;
const DIRECTIONS: readonly string[] = Object.values(Direction);

export interface NegotiatedCodec {
  name: AudioCodec;
  /** The payload type to send this codec with. */
  pt: number;
  clockRate: number;
}

export interface Negotiated {
  /** Index of the accepted m= line. */
  mediaIndex: number;
  codec: NegotiatedCodec;
  /** The payload type to send RFC 4733 events with; absent when not negotiated. */
  telephoneEventPt?: number;
  /**
   * Payload types to accept RFC 4733 events on. For the offerer both its own and the answer's
   * PT: some phones send events on the PT of their own answer instead of the offer's.
   */
  telephoneEventReceivePts: number[];
  /** Where to send RTP and RTCP (RFC 3605 a=rtcp, else port + 1). */
  remote: { address: string; port: number; rtcpPort: number };
  /** Our direction for the stream: what we may send and receive. */
  direction: Direction;
  /** The remote's preferred packet time in ms (a=ptime), when given. */
  ptime?: number;
}

/**
 * `not-acceptable`: nothing usable in the offer (no audio over RTP/AVP, no common codec): the
 * caller answers 488 Not Acceptable Here (RFC 3261 §13.3.1.1). `malformed`: unparseable SDP or
 * an answer that does not match its offer: 400 for a request body, or end the session.
 */
export type NegotiationFailure = { ok: false; reason: 'malformed' | 'not-acceptable'; detail: string };

export type AnswerResult =
  | { ok: true; answer: SessionDescription; sdp: string; negotiated: Negotiated }
  | NegotiationFailure;

export type ReadAnswerResult = { ok: true; negotiated: Negotiated } | NegotiationFailure;

export interface CreateOfferInput {
  address: string;
  port: number;
  /** In order of preference. */
  codecs: readonly AudioCodec[];
  telephoneEvent: boolean;
  /** Dynamic PT for telephone-event (default 101). */
  telephoneEventPt?: number;
  direction?: Direction;
  ptime?: number;
  sessionId: string;
  sessionVersion: string | number;
  /** o= username (default '-'). */
  username?: string;
}

export interface AnswerOptions {
  address: string;
  port: number;
  /** Codecs we can use; the offer's order decides among them. */
  supported: readonly AudioCodec[];
  /** What we would like the stream to be; the answer never exceeds what the offer allows. */
  direction?: Direction;
  /** Whether we take RFC 4733 events (default true); included only when offered. */
  telephoneEvent?: boolean;
  ptime?: number;
  sessionId: string;
  sessionVersion: string | number;
  username?: string;
}

const addrTypeOf = (address: string): 'IP4' | 'IP6' => (address.includes(':') ? 'IP6' : 'IP4');

function describe(input: {
  username?: string; sessionId: string; sessionVersion: string | number; address: string; media: MediaDescription[];
}): SessionDescription {
  const addrType = addrTypeOf(input.address);
  return {
    origin: {
      username: input.username ?? '-',
      sessionId: input.sessionId,
      sessionVersion: String(input.sessionVersion),
      netType: 'IN',
      addrType,
      address: input.address,
    },
    sessionName: '-',
    emails: [],
    phones: [],
    connection: { netType: 'IN', addrType, address: input.address, suffix: '' },
    bandwidths: [],
    timings: [{ start: '0', stop: '0', repeats: [] }],
    attributes: [],
    media: input.media,
  };
}

function audioAttributes(codecs: readonly { name: string; pt: number }[], te: { pt: number; events: string } | undefined, ptime: number | undefined, direction: Direction): Attribute[] {
  const attributes: Attribute[] = codecs.map((c) => ({ name: 'rtpmap', value: `${c.pt} ${c.name}/${G711_RATE}` }));
  if (te !== undefined) {
    attributes.push({ name: 'rtpmap', value: `${te.pt} ${TELEPHONE_EVENT}/${G711_RATE}` });
    attributes.push({ name: 'fmtp', value: `${te.pt} ${te.events}` });
  }
  if (ptime !== undefined) attributes.push({ name: 'ptime', value: String(ptime) });
  attributes.push({ name: direction });
  return attributes;
}

/** An initial audio offer (RFC 3264 §5): one RTP/AVP m= line with the codecs in preference order. */
export function createOffer(input: CreateOfferInput): SessionDescription {
  const codecs = input.codecs.map((name) => ({ name, pt: STATIC_PT[name] }));
  const te = input.telephoneEvent ? { pt: input.telephoneEventPt ?? DEFAULT_TELEPHONE_EVENT_PT, events: '0-16' } : undefined;
  const formats = [...codecs.map((c) => String(c.pt)), ...(te === undefined ? [] : [String(te.pt)])];
  return describe({
    ...input,
    media: [{
      media: 'audio', port: input.port, proto: 'RTP/AVP', formats, connections: [], bandwidths: [],
      attributes: audioAttributes(codecs, te, input.ptime, input.direction ?? Direction.SENDRECV),
    }],
  });
}

interface RtpFormat {
  pt: number;
  name: string;
  clockRate: number;
}

/** The formats of an m= line with their rtpmap (RFC 8866 §6.6), static PTs 0 and 8 by default. */
function rtpFormats(m: MediaDescription): RtpFormat[] {
  const maps = new Map<number, { name: string; clockRate: number }>();
  for (const a of m.attributes) {
    if (a.name.toLowerCase() !== 'rtpmap' || a.value === undefined) continue;
    const r = /^(\d+)\s+([^/\s]+)\/(\d+)/.exec(a.value.trim());
    if (r !== null) maps.set(Number(r[1]), { name: r[2] ?? '', clockRate: Number(r[3]) });
  }
  const out: RtpFormat[] = [];
  for (const f of m.formats) {
    if (!/^\d{1,3}$/.test(f)) continue;
    const pt = Number(f);
    if (pt > 127) continue;
    const mapped = maps.get(pt);
    if (mapped !== undefined) out.push({ pt, ...mapped });
    else if (pt === 0) out.push({ pt, name: 'PCMU', clockRate: G711_RATE });
    else if (pt === 8) out.push({ pt, name: 'PCMA', clockRate: G711_RATE });
  }
  return out;
}

const asCodec = (f: RtpFormat): AudioCodec | undefined => {
  if (f.clockRate !== G711_RATE) return undefined;
  const upper = f.name.toUpperCase();
  return upper === 'PCMU' || upper === 'PCMA' ? upper : undefined;
};

const isTelephoneEvent = (f: RtpFormat): boolean => f.name.toLowerCase() === TELEPHONE_EVENT && f.clockRate === G711_RATE;

/** Direction of a stream: its own attribute, else the session's, else sendrecv (RFC 3264 §5.1). */
export function directionOf(sd: SessionDescription, m: MediaDescription): Direction {
  const own = m.attributes.find((a) => a.value === undefined && DIRECTIONS.includes(a.name));
  const session = sd.attributes.find((a) => a.value === undefined && DIRECTIONS.includes(a.name));
  return ((own ?? session)?.name ?? Direction.SENDRECV) as Direction;
}

const sends = (d: Direction): boolean => d === Direction.SENDRECV || d === Direction.SENDONLY;
const receives = (d: Direction): boolean => d === Direction.SENDRECV || d === Direction.RECVONLY;
const fromFlags = (send: boolean, receive: boolean): Direction =>
  send ? (receive ? Direction.SENDRECV : Direction.SENDONLY) : receive ? Direction.RECVONLY : Direction.INACTIVE;

function connectionOf(sd: SessionDescription, m: MediaDescription): string | undefined {
  return (m.connections[0] ?? sd.connection)?.address;
}

// RFC 3264 §8.4: c=0.0.0.0 is the RFC 2543 way to put a stream on hold; that side will not receive.
const isOldHold = (address: string | undefined): boolean => address === '0.0.0.0';

function remoteOf(m: MediaDescription, address: string): Negotiated['remote'] {
  const rtcp = attributeValue(m.attributes, 'rtcp');
  const rtcpPort = rtcp === undefined ? Number.NaN : Number.parseInt(rtcp.trim(), 10);
  return {
    address,
    port: m.port,
    rtcpPort: Number.isInteger(rtcpPort) && rtcpPort > 0 && rtcpPort <= 65_535 ? rtcpPort : m.port + 1,
  };
}

function ptimeOf(m: MediaDescription): number | undefined {
  const v = attributeValue(m.attributes, 'ptime');
  const n = v === undefined ? Number.NaN : Number(v.trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function toDescription(sdp: string | SessionDescription): SessionDescription | NegotiationFailure {
  if (typeof sdp !== 'string') return sdp;
  const parsed = parseSdp(sdp);
  return parsed.ok ? parsed.value : { ok: false, reason: 'malformed', detail: parsed.reason };
}

const isFailure = (x: SessionDescription | NegotiationFailure): x is NegotiationFailure => 'ok' in x;

// RFC 3264 §6: a rejected stream keeps its media and proto, port 0, and the offer's formats.
const rejected = (m: MediaDescription): MediaDescription => ({
  media: m.media, port: 0, proto: m.proto, formats: [...m.formats], connections: [], bandwidths: [], attributes: [],
});

/**
 * Answers an offer (RFC 3264 §6): one m= line per offered line, in order. The first audio stream
 * over RTP/AVP with a port and a codec in common is accepted; every other stream is rejected with
 * port 0. The answer keeps the offer's payload type numbers (§6.1) and lists telephone-event only
 * when the offer did. Direction (§6.1): offer sendonly -> at most recvonly, recvonly -> at most
 * sendonly, inactive -> inactive; c=0.0.0.0 counts as the offerer not receiving (§8.4).
 */
export function answerOffer(offerSdp: string | SessionDescription, options: AnswerOptions): AnswerResult {
  const offer = toDescription(offerSdp);
  if (isFailure(offer)) return offer;
  const media: MediaDescription[] = [];
  let negotiated: Negotiated | undefined;
  let why = offer.media.length === 0 ? 'offer has no m= line' : 'no audio stream over RTP/AVP';
  for (const [index, m] of offer.media.entries()) {
    if (negotiated !== undefined || m.media !== 'audio' || m.proto.toUpperCase() !== 'RTP/AVP' || m.port === 0) {
      media.push(rejected(m));
      continue;
    }
    const address = connectionOf(offer, m);
    if (address === undefined) return { ok: false, reason: 'malformed', detail: `m= line ${index} has no c= address` };
    const formats = rtpFormats(m);
    const chosen = formats.find((f) => {
      const c = asCodec(f);
      return c !== undefined && options.supported.includes(c);
    });
    const codec = chosen === undefined ? undefined : asCodec(chosen);
    if (chosen === undefined || codec === undefined) {
      why = 'no codec in common';
      media.push(rejected(m));
      continue;
    }
    const offeredTe = options.telephoneEvent === false ? undefined : formats.find(isTelephoneEvent);
    let offered = directionOf(offer, m);
    if (isOldHold(address)) offered = fromFlags(sends(offered), false);
    const wanted = options.direction ?? Direction.SENDRECV;
    const direction = fromFlags(receives(offered) && sends(wanted), sends(offered) && receives(wanted));
    let te: { pt: number; events: string } | undefined;
    if (offeredTe !== undefined) {
      const fmtp = m.attributes.find((a) => a.name.toLowerCase() === 'fmtp' && a.value?.trim().startsWith(`${offeredTe.pt} `));
      const events = fmtp?.value?.trim().split(/\s+/)[1];
      te = { pt: offeredTe.pt, events: events === '0-15' || events === '0-16' ? events : '0-15' };
    }
    const ptime = ptimeOf(m);
    media.push({
      media: 'audio',
      port: options.port,
      proto: m.proto,
      formats: [String(chosen.pt), ...(te === undefined ? [] : [String(te.pt)])],
      connections: [],
      bandwidths: [],
      attributes: audioAttributes([{ name: codec, pt: chosen.pt }], te, options.ptime, direction),
    });
    negotiated = {
      mediaIndex: index,
      codec: { name: codec, pt: chosen.pt, clockRate: G711_RATE },
      telephoneEventReceivePts: te === undefined ? [] : [te.pt],
      remote: remoteOf(m, address),
      direction,
      ...(te === undefined ? {} : { telephoneEventPt: te.pt }),
      ...(ptime === undefined ? {} : { ptime }),
    };
  }
  if (negotiated === undefined) return { ok: false, reason: 'not-acceptable', detail: why };
  const answer = describe({ ...options, media });
  return { ok: true, answer, sdp: serializeSdp(answer), negotiated };
}

/**
 * The offerer's view of an answer (RFC 3264 §7): the first accepted audio stream, the codec to
 * send with (the answer's PT), telephone-event PTs, and our direction as the answer allows it.
 */
export function readAnswer(offerSdp: string | SessionDescription, answerSdp: string | SessionDescription): ReadAnswerResult {
  const offer = toDescription(offerSdp);
  if (isFailure(offer)) return offer;
  const answer = toDescription(answerSdp);
  if (isFailure(answer)) return answer;
  // RFC 3264 §6: the answer has exactly as many m= lines as the offer.
  if (answer.media.length !== offer.media.length) {
    return { ok: false, reason: 'malformed', detail: 'answer and offer differ in number of m= lines' };
  }
  for (const [index, am] of answer.media.entries()) {
    const om = offer.media[index];
    if (om === undefined || am.port === 0 || am.media !== 'audio' || om.media !== 'audio' || om.port === 0) continue;
    const address = connectionOf(answer, am);
    if (address === undefined) return { ok: false, reason: 'malformed', detail: `m= line ${index} has no c= address` };
    const offered = rtpFormats(om);
    const offeredCodecs = new Set(offered.map(asCodec).filter((c) => c !== undefined));
    const formats = rtpFormats(am);
    const chosen = formats.find((f) => {
      const c = asCodec(f);
      return c !== undefined && offeredCodecs.has(c);
    });
    const codec = chosen === undefined ? undefined : asCodec(chosen);
    if (chosen === undefined || codec === undefined) {
      return { ok: false, reason: 'not-acceptable', detail: 'answer accepts no codec that was offered' };
    }
    const answerTe = formats.find(isTelephoneEvent);
    const offerTe = offered.find(isTelephoneEvent);
    let answered = directionOf(answer, am);
    if (isOldHold(address)) answered = fromFlags(sends(answered), false);
    const own = directionOf(offer, om);
    const direction = fromFlags(receives(answered) && sends(own), sends(answered) && receives(own));
    const receivePts = answerTe === undefined || offerTe === undefined ? [] : [...new Set([offerTe.pt, answerTe.pt])];
    const ptime = ptimeOf(am);
    return {
      ok: true,
      negotiated: {
        mediaIndex: index,
        codec: { name: codec, pt: chosen.pt, clockRate: G711_RATE },
        telephoneEventReceivePts: receivePts,
        remote: remoteOf(am, address),
        direction,
        ...(answerTe === undefined || offerTe === undefined ? {} : { telephoneEventPt: answerTe.pt }),
        ...(ptime === undefined ? {} : { ptime }),
      },
    };
  }
  return { ok: false, reason: 'not-acceptable', detail: 'answer rejects every audio stream' };
}

/** A copy with o= sess-version incremented by one (RFC 3264 §8). */
export function bumpVersion(sd: SessionDescription): SessionDescription {
  const copy = structuredClone(sd);
  copy.origin.sessionVersion = (BigInt(sd.origin.sessionVersion) + 1n).toString();
  return copy;
}

function withDirection(previous: SessionDescription, direction: Direction): SessionDescription {
  const next = bumpVersion(previous);
  next.attributes = next.attributes.filter((a) => !(a.value === undefined && DIRECTIONS.includes(a.name)));
  for (const m of next.media) {
    if (m.media !== 'audio' || m.port === 0) continue;
    m.attributes = [...m.attributes.filter((a) => !(a.value === undefined && DIRECTIONS.includes(a.name))), { name: direction }];
  }
  return next;
}

/** A re-offer putting the far end on hold (RFC 3264 §8.4): sendonly to play music, or inactive. */
export function holdOffer(previous: SessionDescription, mode: typeof Direction.SENDONLY | typeof Direction.INACTIVE): SessionDescription {
  return withDirection(previous, mode);
}

/** A re-offer taking the stream off hold: sendrecv again, version bumped. */
export function resumeOffer(previous: SessionDescription): SessionDescription {
  return withDirection(previous, Direction.SENDRECV);
}

/**
 * How a new description from the same side relates to its previous one (RFC 3264 §8):
 * - `unchanged`: same o= version: the SDP is the same and needs no new negotiation.
 * - `modified`: higher version: negotiate it as a new offer.
 * - `new-session`: the o= line names another session (username, id or address differ).
 * - `version-went-back`: lower version: refuse it.
 */
export type SdpChange = 'unchanged' | 'modified' | 'new-session' | 'version-went-back';

export function compareVersions(previous: SessionDescription, next: SessionDescription): SdpChange {
  const a = previous.origin;
  const b = next.origin;
  if (a.username !== b.username || a.sessionId !== b.sessionId || a.netType !== b.netType
    || a.addrType !== b.addrType || a.address !== b.address) return 'new-session';
  const va = BigInt(a.sessionVersion);
  const vb = BigInt(b.sessionVersion);
  if (vb === va) return 'unchanged';
  return vb > va ? 'modified' : 'version-went-back';
}
