// RTCP (RFC 3550 §6): building and parsing compound packets of SR/RR (§6.4), SDES CNAME (§6.5),
// BYE (§6.6), with the validity checks of §A.2; NTP timestamps (§4) and round-trip time (§6.4.1).

/** A reception report block (RFC 3550 §6.4.1). */
export interface ReportBlock {
  /** SSRC of the source this block reports on. */
  ssrc: number;
  /** Fraction of packets lost since the previous report, as a fixed-point number × 256 (0–255). */
  fractionLost: number;
  /** Cumulative number of packets lost, signed 24-bit (−8388608 … 8388607). */
  cumulativeLost: number;
  /** Cycles (high 16 bits) and highest sequence number received (low 16 bits). */
  extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from that source (0: none). */
  lastSr: number;
  /** Delay since that SR was received, in 1/65536 s (0: no SR received). */
  delaySinceLastSr: number;
}

/** Sender information of an SR (RFC 3550 §6.4.1). */
export interface SenderInfo {
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export type RtcpPacket =
  | { type: 'sr'; ssrc: number; sender: SenderInfo; reports: ReportBlock[] }
  | { type: 'rr'; ssrc: number; reports: ReportBlock[] }
  | { type: 'sdes'; chunks: { ssrc: number; cname?: string }[] }
  | { type: 'bye'; ssrcs: number[]; reason?: string }
  | { type: 'other'; packetType: number };

/** RTCP packet types (RFC 3550 §12.1). */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;

const SDES_END = 0;
const SDES_CNAME = 1;
/** Report count is a 5-bit field (§6.4.1). */
const MAX_REPORTS_PER_PACKET = 31;
const REPORT_BLOCK_LENGTH = 24;
/** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01), §4. */
const NTP_UNIX_OFFSET = 2_208_988_800;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/*
 * Every RTCP packet starts with this common header (§6.4.1, §6.5, §6.6):
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * `length` is the packet length in 32-bit words minus one, header and padding included.
 * A report block (§6.4.1) is six words: SSRC; fraction lost (8) + cumulative lost (24);
 * extended highest sequence number; jitter; LSR; DLSR.
 */

function put32(buf: Uint8Array, at: number, v: number): void {
  const x = v >>> 0;
  buf[at] = x >>> 24;
  buf[at + 1] = (x >>> 16) & 0xff;
  buf[at + 2] = (x >>> 8) & 0xff;
  buf[at + 3] = x & 0xff;
}

function get32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

function putHeader(buf: Uint8Array, at: number, count: number, packetType: number, bytes: number): void {
  buf[at] = 0x80 | count;
  buf[at + 1] = packetType;
  const words = bytes / 4 - 1;
  buf[at + 2] = words >>> 8;
  buf[at + 3] = words & 0xff;
}

function clampLost(lost: number): number {
  if (lost > 0x7fffff) return 0x7fffff;
  if (lost < -0x800000) return -0x800000;
  return Math.trunc(lost);
}

function putReport(buf: Uint8Array, at: number, r: ReportBlock): void {
  put32(buf, at, r.ssrc);
  const fraction = Math.min(255, Math.max(0, Math.trunc(r.fractionLost)));
  put32(buf, at + 4, ((fraction << 24) | (clampLost(r.cumulativeLost) & 0xffffff)) >>> 0);
  put32(buf, at + 8, r.extendedHighestSequence);
  put32(buf, at + 12, r.jitter);
  put32(buf, at + 16, r.lastSr);
  put32(buf, at + 20, r.delaySinceLastSr);
}

function getReport(buf: Uint8Array, at: number): ReportBlock {
  const lostWord = get32(buf, at + 4);
  let cumulativeLost = lostWord & 0xffffff;
  if (cumulativeLost & 0x800000) cumulativeLost -= 0x1000000;
  return {
    ssrc: get32(buf, at),
    fractionLost: lostWord >>> 24,
    cumulativeLost,
    extendedHighestSequence: get32(buf, at + 8),
    jitter: get32(buf, at + 12),
    lastSr: get32(buf, at + 16),
    delaySinceLastSr: get32(buf, at + 20),
  };
}

/**
 * Builds a compound RTCP packet (§6.1): an SR when `sender` is given, else an RR, carrying up to 31
 * report blocks (further blocks go into additional RRs right after it, §6.4.2); then an SDES with
 * one chunk holding our CNAME (§6.5.1); then, when `bye` is set, a BYE for our SSRC (§6.6).
 * Every packet is a whole number of 32-bit words, so no padding bit is needed.
 * Throws a RangeError when the CNAME is longer than 255 bytes in UTF-8.
 */
export function buildCompound(opts: {
  ssrc: number;
  sender?: SenderInfo;
  reports: ReportBlock[];
  cname: string;
  bye?: boolean;
}): Uint8Array {
  const cname = utf8Encoder.encode(opts.cname);
  if (cname.length > 255) throw new RangeError('CNAME longer than 255 bytes');
  const reports = opts.reports;
  const firstCount = Math.min(reports.length, MAX_REPORTS_PER_PACKET);
  const firstLength = (opts.sender ? 28 : 8) + REPORT_BLOCK_LENGTH * firstCount;
  let extraLength = 0;
  for (let i = firstCount; i < reports.length; i += MAX_REPORTS_PER_PACKET) {
    extraLength += 8 + REPORT_BLOCK_LENGTH * Math.min(MAX_REPORTS_PER_PACKET, reports.length - i);
  }
  // SDES chunk: SSRC, CNAME item (type, length, text), at least one null octet, padded to a word.
  const itemsLength = Math.ceil((2 + cname.length + 1) / 4) * 4;
  const sdesLength = 4 + 4 + itemsLength;
  const byeLength = opts.bye ? 8 : 0;
  const out = new Uint8Array(firstLength + extraLength + sdesLength + byeLength);

  let at = 0;
  putHeader(out, at, firstCount, opts.sender ? RTCP_SR : RTCP_RR, firstLength);
  put32(out, at + 4, opts.ssrc);
  let block = at + 8;
  if (opts.sender) {
    const s = opts.sender;
    put32(out, at + 8, s.ntpSeconds);
    put32(out, at + 12, s.ntpFraction);
    put32(out, at + 16, s.rtpTimestamp);
    put32(out, at + 20, s.packetCount);
    put32(out, at + 24, s.octetCount);
    block = at + 28;
  }
  for (let i = 0; i < firstCount; i++, block += REPORT_BLOCK_LENGTH) putReport(out, block, reports[i]!);
  at += firstLength;

  for (let i = firstCount; i < reports.length; i += MAX_REPORTS_PER_PACKET) {
    const count = Math.min(MAX_REPORTS_PER_PACKET, reports.length - i);
    const length = 8 + REPORT_BLOCK_LENGTH * count;
    putHeader(out, at, count, RTCP_RR, length);
    put32(out, at + 4, opts.ssrc);
    for (let j = 0; j < count; j++) putReport(out, at + 8 + REPORT_BLOCK_LENGTH * j, reports[i + j]!);
    at += length;
  }

  putHeader(out, at, 1, RTCP_SDES, sdesLength);
  put32(out, at + 4, opts.ssrc);
  out[at + 8] = SDES_CNAME;
  out[at + 9] = cname.length;
  out.set(cname, at + 10);
  // The remaining bytes of the chunk are already zero: the END item and the padding (§6.5).
  at += sdesLength;

  if (opts.bye) {
    putHeader(out, at, 1, RTCP_BYE, byeLength);
    put32(out, at + 4, opts.ssrc);
  }
  return out;
}

type ParseResult = { ok: true; packets: RtcpPacket[] } | { ok: false; error: string };

/**
 * Parses a compound RTCP packet with the checks of RFC 3550 §A.2: every packet is version 2, the
 * first is an SR or RR, only the last packet may be padded (so the first only when it is alone),
 * and the length fields add up exactly to the datagram size. Each SR, RR, SDES and BYE must also fit in its own length.
 * Unknown packet types (APP, feedback, XR, ...) are returned as `other`. Never throws.
 */
export function parseCompound(buf: Uint8Array): ParseResult {
  const n = buf.length;
  if (n < 8) return { ok: false, error: 'shorter than an RTCP header and SSRC' };
  if (n % 4 !== 0) return { ok: false, error: 'length is not a multiple of 32 bits' };
  const first = buf[1]!;
  if (first !== RTCP_SR && first !== RTCP_RR) return { ok: false, error: 'first packet is neither SR nor RR' };
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < n) {
    if (at + 4 > n) return { ok: false, error: 'truncated packet header' };
    const b0 = buf[at]!;
    if (b0 >> 6 !== 2) return { ok: false, error: `packet at byte ${at} is not RTP version 2` };
    const count = b0 & 0x1f;
    const packetType = buf[at + 1]!;
    const length = (((buf[at + 2]! << 8) | buf[at + 3]!) + 1) * 4;
    const end = at + length;
    if (end > n) return { ok: false, error: `packet at byte ${at} runs past the end` };
    let contentEnd = end;
    if ((b0 & 0x20) !== 0) {
      if (end !== n) return { ok: false, error: `padding in packet at byte ${at}, which is not the last` };
      const pad = buf[end - 1]!;
      if (pad === 0 || pad > length - 4) return { ok: false, error: `bad padding count in packet at byte ${at}` };
      contentEnd = end - pad;
    }
    const parsed = parseOne(buf, at, contentEnd, count, packetType);
    if (typeof parsed === 'string') return { ok: false, error: `packet at byte ${at}: ${parsed}` };
    packets.push(parsed);
    at = end;
  }
  return { ok: true, packets };
}

/** One packet whose bytes are [at, end) (padding removed); returns an error text when it does not fit. */
function parseOne(buf: Uint8Array, at: number, end: number, count: number, packetType: number): RtcpPacket | string {
  switch (packetType) {
    case RTCP_SR: {
      if (at + 28 + REPORT_BLOCK_LENGTH * count > end) return 'SR shorter than its report count';
      const sender: SenderInfo = {
        ntpSeconds: get32(buf, at + 8),
        ntpFraction: get32(buf, at + 12),
        rtpTimestamp: get32(buf, at + 16),
        packetCount: get32(buf, at + 20),
        octetCount: get32(buf, at + 24),
      };
      return { type: 'sr', ssrc: get32(buf, at + 4), sender, reports: readReports(buf, at + 28, count) };
    }
    case RTCP_RR: {
      if (at + 8 + REPORT_BLOCK_LENGTH * count > end) return 'RR shorter than its report count';
      return { type: 'rr', ssrc: get32(buf, at + 4), reports: readReports(buf, at + 8, count) };
    }
    case RTCP_SDES:
      return parseSdes(buf, at + 4, end, count);
    case RTCP_BYE: {
      let p = at + 4 + 4 * count;
      if (p > end) return 'BYE shorter than its source count';
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(get32(buf, at + 4 + 4 * i));
      if (p < end) {
        // §6.6: optional reason, a length octet then text.
        const len = buf[p]!;
        p += 1;
        if (p + len > end) return 'BYE reason runs past the packet';
        return { type: 'bye', ssrcs, reason: utf8Decoder.decode(buf.subarray(p, p + len)) };
      }
      return { type: 'bye', ssrcs };
    }
    default:
      return { type: 'other', packetType };
  }
}

function readReports(buf: Uint8Array, at: number, count: number): ReportBlock[] {
  const reports: ReportBlock[] = [];
  for (let i = 0; i < count; i++) reports.push(getReport(buf, at + REPORT_BLOCK_LENGTH * i));
  return reports;
}

/*
 * §6.5: each SDES chunk is an SSRC/CSRC followed by items (type octet, length octet, text), ended
 * by one or more null octets and padded to a 32-bit boundary. Items other than CNAME are skipped.
 */
function parseSdes(buf: Uint8Array, start: number, end: number, count: number): RtcpPacket | string {
  const chunks: { ssrc: number; cname?: string }[] = [];
  let p = start;
  for (let c = 0; c < count; c++) {
    if (p + 4 > end) return 'SDES shorter than its chunk count';
    const chunk: { ssrc: number; cname?: string } = { ssrc: get32(buf, p) };
    p += 4;
    let terminated = false;
    while (p < end) {
      const type = buf[p]!;
      if (type === SDES_END) {
        terminated = true;
        p += 1;
        break;
      }
      if (p + 2 > end) return 'SDES item header runs past the packet';
      const len = buf[p + 1]!;
      if (p + 2 + len > end) return 'SDES item runs past the packet';
      if (type === SDES_CNAME && chunk.cname === undefined) chunk.cname = utf8Decoder.decode(buf.subarray(p + 2, p + 2 + len));
      p += 2 + len;
    }
    // A chunk must end with a null octet; one whose items end exactly at the packet end is accepted.
    if (!terminated && c < count - 1) return 'SDES chunk without end item';
    p = start + Math.ceil((p - start) / 4) * 4;
    chunks.push(chunk);
  }
  return { type: 'sdes', chunks };
}

/** NTP timestamp (§4: seconds since 1900-01-01 and a 32-bit binary fraction) for a Unix time in ms. */
export function ntpFromMs(ms: number): { seconds: number; fraction: number } {
  const wholeSeconds = Math.floor(ms / 1000);
  const remainderMs = ms - wholeSeconds * 1000;
  return {
    // Modulo 2^32: NTP era 0 ends in 2036 and the field wraps (§4).
    seconds: (wholeSeconds + NTP_UNIX_OFFSET) >>> 0,
    fraction: Math.min(0xffffffff, Math.floor((remainderMs / 1000) * 0x1_0000_0000)) >>> 0,
  };
}

/** The middle 32 bits of a 64-bit NTP timestamp (§6.4.1 LSR): low 16 bits of seconds, high 16 of fraction. */
export function middle32(ntpSeconds: number, ntpFraction: number): number {
  return (((ntpSeconds & 0xffff) << 16) | ((ntpFraction >>> 16) & 0xffff)) >>> 0;
}

/**
 * Round-trip time from a report block about our stream (§6.4.1): A − LSR − DLSR, where A is the
 * middle 32 bits of the NTP time at which the report arrived, all in 1/65536 s; returned in ms.
 * Undefined when the peer has not received an SR from us yet (LSR 0) or the result is negative.
 */
export function roundTripMs(report: ReportBlock, arrivalNtpMiddle32: number): number | undefined {
  if (report.lastSr === 0) return undefined;
  const sinceSr = (arrivalNtpMiddle32 - report.lastSr) >>> 0;
  // More than half the 32-bit range means the arrival precedes the SR: clocks or values are off.
  if (sinceSr >= 0x8000_0000) return undefined;
  const dlsr = report.delaySinceLastSr >>> 0;
  if (dlsr > sinceSr) return undefined;
  return ((sinceSr - dlsr) * 1000) / 65536;
}
