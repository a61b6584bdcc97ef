// RTP fixed header (RFC 3550 §5.1): parsing, writing, and RTP/RTCP demultiplexing (RFC 5761 §4).
// Pure functions over byte arrays that never copy; `parseRtpInto` fills a caller's header object,
// so a receive path parses every packet without allocating.

/** The fields of an RTP header the media engine needs, plus where the payload sits in the packet. */
export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  csrcCount: number;
  /** Bytes before the payload: 12 + 4 × CSRC count + the header extension (RFC 3550 §5.3.1), if any. */
  headerLength: number;
  /** Payload bytes after removing padding (RFC 3550 §5.1, P bit). */
  payloadLength: number;
}

/** Size of the fixed header without CSRCs (RFC 3550 §5.1). */
export const RTP_HEADER_LENGTH = 12;

/*
 * RFC 3550 §5.1, the RTP fixed header:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * With X set, a header extension follows the CSRC list (§5.3.1): a 16-bit profile-defined
 * identifier, a 16-bit length counting 32-bit words (excluding these 4 bytes), then the data.
 * With P set, the last byte of the packet counts the padding bytes, itself included.
 */

/** A header object to parse into (`parseRtpInto`), reused packet after packet. */
export function emptyRtpHeader(): RtpHeader {
  return { marker: false, payloadType: 0, sequence: 0, timestamp: 0, ssrc: 0, csrcCount: 0, headerLength: 0, payloadLength: 0 };
}

/**
 * Parses the RTP header of the first `len` bytes of `buf` (default: all of it). Returns undefined for
 * anything that is not a valid RTP packet: shorter than 12 bytes, version other than 2, a CSRC list
 * or header extension running past the end, or a padding count of 0 or larger than the payload.
 * The payload is `buf.subarray(h.headerLength, h.headerLength + h.payloadLength)`.
 */
export function parseRtp(buf: Uint8Array, len?: number): RtpHeader | undefined {
  const h = emptyRtpHeader();
  return parseRtpInto(buf, len ?? buf.length, h) ? h : undefined;
}

/**
 * `parseRtp` into `out`: true and every field of `out` set for a valid packet; false for anything
 * else, with `out` left in an unspecified state.
 */
export function parseRtpInto(buf: Uint8Array, len: number, out: RtpHeader): boolean {
  let n = buf.length;
  if (len < n) n = Math.floor(len);
  if (!(n >= RTP_HEADER_LENGTH)) return false;
  const b0 = buf[0]!;
  if (b0 >> 6 !== 2) return false;
  const csrcCount = b0 & 0x0f;
  let headerLength = RTP_HEADER_LENGTH + 4 * csrcCount;
  if (headerLength > n) return false;
  if ((b0 & 0x10) !== 0) {
    // §5.3.1: 4-byte extension header, then `length` 32-bit words.
    if (headerLength + 4 > n) return false;
    const words = (buf[headerLength + 2]! << 8) | buf[headerLength + 3]!;
    headerLength += 4 + 4 * words;
    if (headerLength > n) return false;
  }
  let payloadLength = n - headerLength;
  if ((b0 & 0x20) !== 0) {
    // §5.1 P bit: the last octet counts the padding octets, itself included.
    const pad = buf[n - 1]!;
    if (pad === 0 || pad > payloadLength) return false;
    payloadLength -= pad;
  }
  const b1 = buf[1]!;
  out.marker = (b1 & 0x80) !== 0;
  out.payloadType = b1 & 0x7f;
  out.sequence = (buf[2]! << 8) | buf[3]!;
  out.timestamp = ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
  out.ssrc = ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
  out.csrcCount = csrcCount;
  out.headerLength = headerLength;
  out.payloadLength = payloadLength;
  return true;
}

/**
 * RFC 5761 §4: when RTP and RTCP share a port, a packet whose second octet is 192–223 (RTCP packet
 * types 192–223, i.e. an RTP marker bit with payload types 64–95, which RTP must therefore not use)
 * is RTCP. Also requires version 2 and at least the 4-byte RTCP common header.
 */
export function isRtcp(buf: Uint8Array, len?: number): boolean {
  const n = len !== undefined && len < buf.length ? len : buf.length;
  if (!(n >= 4)) return false;
  if (buf[0]! >> 6 !== 2) return false;
  const pt = buf[1]!;
  return pt >= 192 && pt <= 223;
}

/**
 * Writes a 12-byte RTP fixed header (version 2, no padding, no extension, no CSRCs) at `offset` and
 * returns 12. Sequence is taken modulo 2^16 and timestamp and SSRC modulo 2^32, so callers may let
 * their counters run past the field sizes. Throws a RangeError when the 12 bytes do not fit.
 */
export function writeRtpHeader(
  buf: Uint8Array,
  offset: number,
  h: { marker: boolean; payloadType: number; sequence: number; timestamp: number; ssrc: number },
): number {
  if (!(offset >= 0 && offset + RTP_HEADER_LENGTH <= buf.length)) {
    throw new RangeError(`RTP header does not fit at offset ${offset} of a ${buf.length}-byte buffer`);
  }
  const seq = h.sequence & 0xffff;
  const ts = h.timestamp >>> 0;
  const ssrc = h.ssrc >>> 0;
  buf[offset] = 0x80;
  buf[offset + 1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  buf[offset + 2] = seq >>> 8;
  buf[offset + 3] = seq & 0xff;
  buf[offset + 4] = ts >>> 24;
  buf[offset + 5] = (ts >>> 16) & 0xff;
  buf[offset + 6] = (ts >>> 8) & 0xff;
  buf[offset + 7] = ts & 0xff;
  buf[offset + 8] = ssrc >>> 24;
  buf[offset + 9] = (ssrc >>> 16) & 0xff;
  buf[offset + 10] = (ssrc >>> 8) & 0xff;
  buf[offset + 11] = ssrc & 0xff;
  return RTP_HEADER_LENGTH;
}
