// RIFF/WAVE files: reading prompts (16-bit PCM, A-law or µ-law, any rate and channel count) and
// writing recordings. Layout per the Microsoft RIFF specification ("Multimedia Programming
// Interface and Data Specifications 1.0", WAVE form) and its WAVE_FORMAT_EXTENSIBLE extension.
// Reading never throws on bad bytes: every problem comes back as `{ ok: false, error }`.
import { alawToPcm, ulawToPcm } from './g711.ts';
import { resampleTo8k } from './resample.ts';

export type WavFormat = 'pcm16' | 'ulaw' | 'alaw';

export interface WavInfo {
  format: WavFormat;
  sampleRate: number;
  channels: number;
  /** The data chunk's bytes (a view into the input), cut to whole sample frames. */
  data: Uint8Array;
}

export type ParseWavResult = { ok: true; wav: WavInfo } | { ok: false; error: string };
export type DecodeWavResult = { ok: true; samples: Int16Array } | { ok: false; error: string };

/** wFormatTag values (mmreg.h). */
const TAG_PCM = 0x0001;
const TAG_IEEE_FLOAT = 0x0003;
const TAG_ALAW = 0x0006;
const TAG_MULAW = 0x0007;
const TAG_EXTENSIBLE = 0xfffe;
/** Bytes 2..15 shared by the KSDATAFORMAT_SUBTYPE_* GUIDs {0000xxxx-0000-0010-8000-00AA00389B71}. */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const MIN_RATE = 1000;
const MAX_RATE = 384_000;
const MAX_CHANNELS = 32;
/** A data chunk size meaning "until the end of the file" (streamed or RF64 files). */
const SIZE_UNKNOWN = 0xffffffff;

const TAG_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM', [TAG_IEEE_FLOAT]: 'IEEE float', 0x0011: 'IMA ADPCM', 0x0031: 'GSM 6.10',
  0x0050: 'MPEG', 0x0055: 'MPEG layer 3', 0x0064: 'G.721 ADPCM',
};

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/** A chunk id of four printable ASCII characters (a RIFF FOURCC). */
function plausibleId(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length) return false;
  for (let i = at; i < at + 4; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return false;
  return true;
}

interface Fmt { format: WavFormat; sampleRate: number; channels: number }

function parseFmt(b: Uint8Array, at: number, size: number): Fmt | string {
  if (size < 16) return `fmt chunk is ${size} bytes, shorter than the 16 a WAVEFORMAT needs`;
  if (at + 16 > b.length) return 'fmt chunk is cut off by the end of the file';
  let tag = u16(b, at);
  const channels = u16(b, at + 2);
  const sampleRate = u32(b, at + 4);
  const bits = u16(b, at + 14);
  if (tag === TAG_EXTENSIBLE) {
    // WAVEFORMATEXTENSIBLE: cbSize ≥ 22, then wValidBitsPerSample, dwChannelMask, SubFormat GUID.
    if (size < 40 || at + 40 > b.length) return 'WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes';
    const guid = at + 24;
    if (u16(b, guid + 2) !== 0 || GUID_TAIL.some((v, i) => b[guid + 2 + i] !== v)) return 'WAVE_FORMAT_EXTENSIBLE with an unknown SubFormat GUID';
    tag = u16(b, guid);
  }
  if (channels === 0) return 'fmt chunk declares zero channels';
  if (channels > MAX_CHANNELS) return `${channels} channels is more than the ${MAX_CHANNELS} supported`;
  if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) return `sample rate ${sampleRate} Hz is outside ${MIN_RATE}–${MAX_RATE} Hz`;
  let format: WavFormat;
  if (tag === TAG_PCM) {
    if (bits !== 16) return `${bits}-bit PCM is not supported (only 16-bit PCM, A-law and µ-law)`;
    format = 'pcm16';
  } else if (tag === TAG_ALAW || tag === TAG_MULAW) {
    if (bits !== 8) return `${tag === TAG_ALAW ? 'A-law' : 'µ-law'} with ${bits} bits per sample (must be 8)`;
    format = tag === TAG_ALAW ? 'alaw' : 'ulaw';
  } else {
    const name = TAG_NAMES[tag];
    return `unsupported WAV format tag 0x${tag.toString(16).padStart(4, '0')}${name ? ` (${name})` : ''}; use 16-bit PCM, A-law or µ-law`;
  }
  return { format, sampleRate, channels };
}

/** Reads a RIFF/WAVE file's format and locates its audio. */
export function parseWav(bytes: Uint8Array): ParseWavResult {
  const fail = (error: string): ParseWavResult => ({ ok: false, error });
  if (bytes.length < 12) return fail(`${bytes.length} bytes is too short for a RIFF/WAVE header`);
  const magic = fourcc(bytes, 0);
  if (magic === 'RIFX') return fail('big-endian RIFX files are not supported');
  // RF64 (EBU Tech 3306) carries 64-bit sizes in a ds64 chunk and 0xFFFFFFFF in the data chunk:
  // the data then runs to the end of the file, as for a streamed RIFF.
  if (magic !== 'RIFF' && magic !== 'RF64') return fail('not a RIFF file (no "RIFF" at the start)');
  if (fourcc(bytes, 8) !== 'WAVE') return fail(`RIFF form is "${fourcc(bytes, 8).replace(/[^\x20-\x7e]/g, '?')}", not "WAVE"`);
  // The RIFF size is often wrong (streamed or truncated files), so the chunks are walked up to
  // the end of the bytes actually present.
  let fmt: Fmt | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = fourcc(bytes, at);
    const size = u32(bytes, at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (fmt) return fail('more than one fmt chunk');
      const parsed = parseFmt(bytes, body, size);
      if (typeof parsed === 'string') return fail(parsed);
      fmt = parsed;
    } else if (id === 'data') {
      if (!fmt) return fail('data chunk comes before the fmt chunk');
      // A size past the end (truncated file) or 0xFFFFFFFF (streamed): take what is there.
      const end = size === SIZE_UNKNOWN || body + size > bytes.length ? bytes.length : body + size;
      const frame = fmt.channels * (fmt.format === 'pcm16' ? 2 : 1);
      const usable = end - body - ((end - body) % frame);
      return { ok: true, wav: { ...fmt, data: bytes.subarray(body, body + usable) } };
    }
    // Any other chunk (LIST, fact, cue, bext …) is skipped, with its pad byte when the size is
    // odd (RIFF chunks are word-aligned). Some writers omit the pad: when the padded position
    // does not hold a chunk id and the unpadded one does, the unpadded one is taken.
    let next = body + size;
    if (size % 2 === 1 && !(plausibleId(bytes, next) && !plausibleId(bytes, next + 1))) next += 1;
    if (next > bytes.length) {
      return fail(fmt
        ? `chunk "${id.replace(/[^\x20-\x7e]/g, '?')}" of ${size} bytes runs past the end of the file before any data chunk`
        : `chunk "${id.replace(/[^\x20-\x7e]/g, '?')}" of ${size} bytes runs past the end of the file before any fmt chunk`);
    }
    at = next;
  }
  return fail(fmt ? 'no data chunk' : 'no fmt chunk');
}

/** Decodes any supported WAV to 8 kHz mono 16-bit samples: channels averaged, then resampled. */
export function decodeWavToMono8k(bytes: Uint8Array): DecodeWavResult {
  const parsed = parseWav(bytes);
  if (!parsed.ok) return parsed;
  const { format, channels, sampleRate, data } = parsed.wav;
  const count = format === 'pcm16' ? data.length >> 1 : data.length;
  let pcm: Int16Array;
  if (format === 'pcm16') {
    pcm = new Int16Array(count);
    for (let i = 0; i < count; i++) pcm[i] = (data[2 * i]! | (data[2 * i + 1]! << 8)) << 16 >> 16;
  } else {
    pcm = new Int16Array(count);
    if (format === 'ulaw') ulawToPcm(data, pcm, count); else alawToPcm(data, pcm, count);
  }
  let mono = pcm;
  if (channels > 1) {
    const frames = Math.floor(count / channels);
    mono = new Int16Array(frames);
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += pcm[f * channels + c]!;
      mono[f] = Math.round(sum / channels);
    }
  }
  return { ok: true, samples: sampleRate === 8000 ? mono : resampleTo8k(mono, sampleRate) };
}

export interface WavHeaderOptions {
  sampleRate: number;
  channels: number;
  format: WavFormat;
  /** Bytes of audio that follow the header (a writer appends one zero pad byte when odd). */
  dataBytes: number;
}

/**
 * The header to put before `dataBytes` of audio: the canonical 44 bytes for 16-bit PCM; for
 * A-law and µ-law an 18-byte WAVEFORMATEX (cbSize 0) and the fact chunk that non-PCM formats
 * must carry (58 bytes).
 */
export function wavHeader(opts: WavHeaderOptions): Uint8Array {
  const { sampleRate, channels, format, dataBytes } = opts;
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`bad sample rate ${sampleRate}`);
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff) throw new RangeError(`bad channel count ${channels}`);
  const pcm = format === 'pcm16';
  const headerBytes = pcm ? 44 : 58;
  const pad = dataBytes % 2;
  if (!Number.isInteger(dataBytes) || dataBytes < 0 || headerBytes - 8 + dataBytes + pad > 0xffffffff) throw new RangeError(`bad data size ${dataBytes}`);
  const bytesPerSample = pcm ? 2 : 1;
  const h = new Uint8Array(headerBytes);
  const v = new DataView(h.buffer);
  const id = (at: number, s: string): void => { for (let i = 0; i < 4; i++) h[at + i] = s.charCodeAt(i); };
  id(0, 'RIFF');
  v.setUint32(4, headerBytes - 8 + dataBytes + pad, true);
  id(8, 'WAVE');
  id(12, 'fmt ');
  v.setUint32(16, pcm ? 16 : 18, true);
  v.setUint16(20, pcm ? TAG_PCM : format === 'alaw' ? TAG_ALAW : TAG_MULAW, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * bytesPerSample, true); // nAvgBytesPerSec
  v.setUint16(32, channels * bytesPerSample, true); // nBlockAlign
  v.setUint16(34, bytesPerSample * 8, true);
  let at = 36;
  if (!pcm) {
    v.setUint16(36, 0, true); // cbSize
    id(38, 'fact');
    v.setUint32(42, 4, true);
    v.setUint32(46, Math.floor(dataBytes / channels), true); // dwSampleLength: frames
    at = 50;
  }
  id(at, 'data');
  v.setUint32(at + 4, dataBytes, true);
  return h;
}

/** A complete 16-bit PCM WAV of interleaved samples. */
export function encodeWav(samples: Int16Array, sampleRate: number, channels: number): Uint8Array {
  if (samples.length % channels !== 0) throw new RangeError(`${samples.length} samples is not a whole number of ${channels}-channel frames`);
  const header = wavHeader({ sampleRate, channels, format: 'pcm16', dataBytes: samples.length * 2 });
  const out = new Uint8Array(header.length + samples.length * 2);
  out.set(header);
  const v = new DataView(out.buffer, header.length);
  for (let i = 0; i < samples.length; i++) v.setInt16(2 * i, samples[i]!, true);
  return out;
}
