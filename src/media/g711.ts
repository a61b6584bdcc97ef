// ITU-T G.711 µ-law and A-law, bit-exact with the recommendation's tables as realised by the
// ITU-T G.191 reference (STL g711.c). A 16-bit sample is taken as the left-justified 14-bit
// (µ-law) or 13-bit (A-law) value of G.711; negative samples use their one's complement
// magnitude (|x| − 1), so x and ~x encode to the same code with opposite signs: the quantiser
// is symmetric about −0.5, as an analogue signal sampled mid-rise would be.
//
// Every conversion is a table look-up: 64 KiB per encoder indexed by `sample & 0xffff`, 256
// entries per decoder, and 256 per transcoding direction.

/** µ-law bias (G.711 Table 2): 33 in 14-bit units, 0x84 in 16-bit units. */
const ULAW_BIAS = 0x84;
/** A-law characters have their even bits inverted on the line (G.711 Table 1, note). */
const ALAW_XOR = 0x55;

/** µ-law encoding of one 16-bit sample (G.711 Table 2). */
function ulawCompress(x: number): number {
  // 14-bit magnitude plus bias 33 (0x84 >> 2); saturates at the last decision value 8159.
  let biased = ((x < 0 ? ~x : x) >> 2) + (ULAW_BIAS >> 2);
  if (biased > 0x1fff) biased = 0x1fff;
  // Segment 0..7: position of the highest set bit above bit 5 (segment ends 0x3f, 0x7f … 0x1fff).
  let seg = 0;
  for (let v = biased >> 6; v !== 0; v >>= 1) seg++;
  const mantissa = (biased >> (seg + 1)) & 0x0f;
  // The character is inverted as a whole on the line, so positive samples carry sign bit 1.
  const code = (seg << 4) | mantissa;
  return x >= 0 ? (~code & 0xff) : (~code & 0x7f);
}

/** µ-law decoding: the quantised value of the code's interval (G.711 Table 2). */
function ulawExpand(code: number): number {
  const u = ~code & 0xff;
  const seg = (u >> 4) & 0x07;
  const t = ((((u & 0x0f) << 3) + ULAW_BIAS) << seg) - ULAW_BIAS;
  return u & 0x80 ? -t : t;
}

/** A-law encoding of one 16-bit sample (G.711 Table 1). */
function alawCompress(x: number): number {
  // 12-bit magnitude (13-bit signed scale without the sign), one's complement for negatives.
  let mag = (x < 0 ? ~x : x) >> 4;
  if (mag > 15) {
    // Segments 1..7 double in step; segment 1 continues segment 0 with the same step.
    let seg = 1;
    while (mag > 31) { mag >>= 1; seg++; } // at most 2047 → segment 7
    mag = (seg << 4) | (mag - 16);
  }
  return (x >= 0 ? mag | 0x80 : mag) ^ ALAW_XOR;
}

/** A-law decoding: the middle of the code's interval (G.711 Table 1). */
function alawExpand(code: number): number {
  const a = (code ^ ALAW_XOR) & 0xff;
  const seg = (a >> 4) & 0x07;
  // Mid-point of the interval: mantissa step plus half a step (8 in 16-bit units for seg 0/1).
  let t = ((a & 0x0f) << 4) + 8;
  if (seg !== 0) t = (t + 0x100) << (seg - 1);
  return a & 0x80 ? t : -t;
}

const ULAW_ENC = new Uint8Array(65536);
const ALAW_ENC = new Uint8Array(65536);
const ULAW_DEC = new Int16Array(256);
const ALAW_DEC = new Int16Array(256);
const ULAW_TO_ALAW = new Uint8Array(256);
const ALAW_TO_ULAW = new Uint8Array(256);

for (let i = 0; i < 65536; i++) {
  const x = (i << 16) >> 16;
  ULAW_ENC[i] = ulawCompress(x);
  ALAW_ENC[i] = alawCompress(x);
}
for (let c = 0; c < 256; c++) {
  ULAW_DEC[c] = ulawExpand(c);
  ALAW_DEC[c] = alawExpand(c);
}
// Transcoding: decode to the quantised value, then re-encode, keeping the sign of µ-law's
// negative zero (0x7f). This is not G.711's Tables 3 and 4, which were drawn up by hand and
// take the other neighbour in 46 (µ→A) and 34 (A→µ) of the 256 entries, at ties and next to
// segment edges; the two differ by at most one quantisation step.
for (let c = 0; c < 256; c++) {
  const u = ULAW_DEC[c]!;
  ULAW_TO_ALAW[c] = ALAW_ENC[(u === 0 && (c & 0x80) === 0 ? -1 : u) & 0xffff]!;
  ALAW_TO_ULAW[c] = ULAW_ENC[ALAW_DEC[c]! & 0xffff]!;
}

/** µ-law code (0..255) of a 16-bit sample; values outside int16 wrap to their low 16 bits. */
export function ulawEncode(sample: number): number {
  return ULAW_ENC[sample & 0xffff]!;
}

/** 16-bit sample of a µ-law code (only the low 8 bits are used). */
export function ulawDecode(code: number): number {
  return ULAW_DEC[code & 0xff]!;
}

/** A-law code (0..255) of a 16-bit sample; values outside int16 wrap to their low 16 bits. */
export function alawEncode(sample: number): number {
  return ALAW_ENC[sample & 0xffff]!;
}

/** 16-bit sample of an A-law code (only the low 8 bits are used). */
export function alawDecode(code: number): number {
  return ALAW_DEC[code & 0xff]!;
}

/** How many codes or samples to convert: `n` (default: all that fit), bounded by what both arrays hold past their offsets. */
function count(srcLen: number, dstLen: number, n: number | undefined, srcOffset: number, dstOffset: number): number {
  const max = Math.max(0, Math.min(srcLen - srcOffset, dstLen - dstOffset));
  return n === undefined ? max : Math.min(Math.max(0, n | 0), max);
}

// The array conversions take optional offsets so a packet's payload is converted where it lies in
// the datagram, with no view allocated per packet.

/** Encodes `n` samples (default: as many as both arrays hold) to µ-law. */
export function pcmToUlaw(src: Int16Array, dst: Uint8Array, n?: number, srcOffset = 0, dstOffset = 0): void {
  const len = count(src.length, dst.length, n, srcOffset, dstOffset);
  const t = ULAW_ENC;
  for (let i = 0; i < len; i++) dst[dstOffset + i] = t[src[srcOffset + i]! & 0xffff]!;
}

/** Decodes `n` µ-law codes (default: as many as both arrays hold). */
export function ulawToPcm(src: Uint8Array, dst: Int16Array, n?: number, srcOffset = 0, dstOffset = 0): void {
  const len = count(src.length, dst.length, n, srcOffset, dstOffset);
  const t = ULAW_DEC;
  for (let i = 0; i < len; i++) dst[dstOffset + i] = t[src[srcOffset + i]!]!;
}

/** Encodes `n` samples (default: as many as both arrays hold) to A-law. */
export function pcmToAlaw(src: Int16Array, dst: Uint8Array, n?: number, srcOffset = 0, dstOffset = 0): void {
  const len = count(src.length, dst.length, n, srcOffset, dstOffset);
  const t = ALAW_ENC;
  for (let i = 0; i < len; i++) dst[dstOffset + i] = t[src[srcOffset + i]! & 0xffff]!;
}

/** Decodes `n` A-law codes (default: as many as both arrays hold). */
export function alawToPcm(src: Uint8Array, dst: Int16Array, n?: number, srcOffset = 0, dstOffset = 0): void {
  const len = count(src.length, dst.length, n, srcOffset, dstOffset);
  const t = ALAW_DEC;
  for (let i = 0; i < len; i++) dst[dstOffset + i] = t[src[srcOffset + i]!]!;
}

/** µ-law to A-law, code by code; `src` and `dst` may be the same array (at the same offset). */
export function ulawToAlaw(src: Uint8Array, dst: Uint8Array, n?: number, srcOffset = 0, dstOffset = 0): void {
  const len = count(src.length, dst.length, n, srcOffset, dstOffset);
  const t = ULAW_TO_ALAW;
  for (let i = 0; i < len; i++) dst[dstOffset + i] = t[src[srcOffset + i]!]!;
}

/** A-law to µ-law, code by code; `src` and `dst` may be the same array (at the same offset). */
export function alawToUlaw(src: Uint8Array, dst: Uint8Array, n?: number, srcOffset = 0, dstOffset = 0): void {
  const len = count(src.length, dst.length, n, srcOffset, dstOffset);
  const t = ALAW_TO_ULAW;
  for (let i = 0; i < len; i++) dst[dstOffset + i] = t[src[srcOffset + i]!]!;
}
