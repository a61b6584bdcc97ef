import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { alawDecode, pcmToAlaw, pcmToUlaw, ulawDecode } from './g711.ts';
import { decodeWavToMono8k, encodeWav, parseWav, wavHeader } from './wav.ts';

// ---- building blocks for hand-made files ----------------------------------------------------

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** A chunk with its id, size (or a lying size) and pad byte when odd. */
function chunk(id: string, body: number[] | Uint8Array, opts: { size?: number; pad?: boolean } = {}): number[] {
  const b = [...body];
  const pad = (opts.pad ?? true) && b.length % 2 === 1 ? [0] : [];
  return [...ascii(id), ...le32(opts.size ?? b.length), ...b, ...pad];
}

function fmtBody(tag: number, channels: number, rate: number, bits: number, extra: number[] = []): number[] {
  const align = (channels * bits) / 8;
  return [...le16(tag), ...le16(channels), ...le32(rate), ...le32(rate * align), ...le16(align), ...le16(bits), ...extra];
}

function extensibleFmt(subTag: number, channels: number, rate: number, bits: number, guidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]): number[] {
  return fmtBody(0xfffe, channels, rate, bits, [...le16(22), ...le16(bits), ...le32(channels === 1 ? 4 : 3), ...le16(subTag), ...guidTail]);
}

function riff(chunks: number[][], magic = 'RIFF', form = 'WAVE', size?: number): Uint8Array {
  const body = chunks.flat();
  return Uint8Array.from([...ascii(magic), ...le32(size ?? body.length + 4), ...ascii(form), ...body]);
}

const pcmBytes = (samples: number[]): number[] => samples.flatMap((s) => le16(s & 0xffff));
const SAMPLES = [0, 1000, -1000, 32767, -32768, 12345, -5, 7];

function expectError(r: ReturnType<typeof parseWav>, pattern: RegExp): void {
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, pattern);
}

// ---- writing and reading back -------------------------------------------------------------------

test('encodeWav writes the canonical 44-byte header and parseWav reads it back', () => {
  const samples = Int16Array.from(SAMPLES);
  const bytes = encodeWav(samples, 8000, 1);
  assert.equal(bytes.length, 44 + 16);
  const v = new DataView(bytes.buffer);
  assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'RIFF');
  assert.equal(v.getUint32(4, true), 36 + 16);
  assert.equal(String.fromCharCode(...bytes.subarray(8, 16)), 'WAVEfmt ');
  assert.deepEqual([v.getUint32(16, true), v.getUint16(20, true), v.getUint16(22, true), v.getUint32(24, true), v.getUint32(28, true), v.getUint16(32, true), v.getUint16(34, true)], [16, 1, 1, 8000, 16000, 2, 16]);
  assert.equal(String.fromCharCode(...bytes.subarray(36, 40)), 'data');
  assert.equal(v.getUint32(40, true), 16);
  const r = parseWav(bytes);
  assert.ok(r.ok);
  assert.equal(r.wav.format, 'pcm16');
  assert.equal(r.wav.sampleRate, 8000);
  assert.equal(r.wav.channels, 1);
  assert.deepEqual([...r.wav.data], pcmBytes(SAMPLES));
  const d = decodeWavToMono8k(bytes);
  assert.ok(d.ok);
  assert.deepEqual(d.samples, samples);
});

test('stereo is mixed to mono by averaging', () => {
  const interleaved = Int16Array.from([100, 300, -32768, -32768, 32767, 32767, 1, 2, -7, 8]);
  const d = decodeWavToMono8k(encodeWav(interleaved, 8000, 2));
  assert.ok(d.ok);
  assert.deepEqual([...d.samples], [200, -32768, 32767, 2, 1]); // Math.round: 1.5 → 2, 0.5 → 1
  assert.throws(() => encodeWav(Int16Array.from([1, 2, 3]), 8000, 2), RangeError);
});

test('µ-law and A-law headers: 18-byte fmt with cbSize 0 and a fact chunk; decoded with G.711', () => {
  const pcm = Int16Array.from({ length: 801 }, (_, i) => Math.round(20000 * Math.sin(i / 5)));
  for (const format of ['ulaw', 'alaw'] as const) {
    const codes = new Uint8Array(pcm.length);
    if (format === 'ulaw') pcmToUlaw(pcm, codes); else pcmToAlaw(pcm, codes);
    const header = wavHeader({ sampleRate: 8000, channels: 1, format, dataBytes: codes.length });
    assert.equal(header.length, 58);
    const v = new DataView(header.buffer);
    assert.equal(v.getUint32(4, true), 50 + 801 + 1); // RIFF size counts the data's pad byte
    assert.deepEqual([v.getUint32(16, true), v.getUint16(20, true), v.getUint16(32, true), v.getUint16(34, true), v.getUint16(36, true)], [18, format === 'ulaw' ? 7 : 6, 1, 8, 0]);
    assert.equal(String.fromCharCode(...header.subarray(38, 42)), 'fact');
    assert.deepEqual([v.getUint32(42, true), v.getUint32(46, true)], [4, 801]);
    assert.equal(String.fromCharCode(...header.subarray(50, 54)), 'data');
    assert.equal(v.getUint32(54, true), 801);
    const file = Uint8Array.from([...header, ...codes, 0]);
    const r = parseWav(file);
    assert.ok(r.ok);
    assert.equal(r.wav.format, format);
    assert.deepEqual(r.wav.data, codes);
    const d = decodeWavToMono8k(file);
    assert.ok(d.ok);
    assert.deepEqual([...d.samples], [...codes].map(format === 'ulaw' ? ulawDecode : alawDecode));
  }
});

test('wavHeader refuses impossible values', () => {
  assert.throws(() => wavHeader({ sampleRate: 8000, channels: 0, format: 'pcm16', dataBytes: 0 }), RangeError);
  assert.throws(() => wavHeader({ sampleRate: 0, channels: 1, format: 'pcm16', dataBytes: 0 }), RangeError);
  assert.throws(() => wavHeader({ sampleRate: 8000, channels: 1, format: 'pcm16', dataBytes: -2 }), RangeError);
  assert.throws(() => wavHeader({ sampleRate: 8000, channels: 1, format: 'pcm16', dataBytes: 2 ** 32 }), RangeError);
});

test('16 kHz stereo decodes to 8 kHz mono with the tone kept', () => {
  const n = 16000;
  const st = new Int16Array(2 * n);
  for (let i = 0; i < n; i++) {
    st[2 * i] = Math.round(10000 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    st[2 * i + 1] = Math.round(6000 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
  }
  const d = decodeWavToMono8k(encodeWav(st, 16000, 2));
  assert.ok(d.ok);
  assert.equal(d.samples.length, 8000);
  for (let i = 200; i < 7800; i++) assert.ok(Math.abs(d.samples[i]! - 8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)) < 20, `sample ${i}`);
});

// ---- files in the wild ---------------------------------------------------------------------------

test('accepted variations: chunk order, padding, truncation, streaming, extensible, RF64', () => {
  const fmt = chunk('fmt ', fmtBody(1, 1, 8000, 16));
  const data = chunk('data', pcmBytes(SAMPLES));
  const list = chunk('LIST', [...ascii('INFO'), ...chunk('INAM', ascii('odd'))]); // 4 + 8 + 3 + pad
  const fact = chunk('fact', le32(8));
  const cases: [string, Uint8Array, number][] = [
    ['LIST and fact before fmt', riff([list, fact, fmt, data]), 16],
    ['LIST between fmt and data, odd chunk padded', riff([fmt, chunk('junk', [1, 2, 3]), list, data]), 16],
    ['odd chunk written without its pad byte', riff([fmt, chunk('junk', [1, 2, 3], { pad: false }), data]), 16],
    ['RIFF size wrong', riff([fmt, data], 'RIFF', 'WAVE', 0), 16],
    ['trailing junk after data', Uint8Array.from([...riff([fmt, data]), ...ascii('garbage!')]), 16],
    ['data size beyond the end (truncated file)', riff([fmt, chunk('data', pcmBytes(SAMPLES), { size: 1_000_000 })]), 16],
    ['data size 0xFFFFFFFF (streamed)', riff([fmt, chunk('data', pcmBytes(SAMPLES), { size: 0xffffffff })]), 16],
    ['truncated mid-sample: cut to whole frames', riff([fmt, chunk('data', [...pcmBytes(SAMPLES), 0x12], { size: 0xffffffff, pad: false })]), 16],
    ['empty data chunk', riff([fmt, chunk('data', [])]), 0],
    ['WAVE_FORMAT_EXTENSIBLE PCM', riff([chunk('fmt ', extensibleFmt(1, 1, 8000, 16)), data]), 16],
    ['RF64 with ds64', riff([chunk('ds64', new Array(28).fill(0)), fmt, chunk('data', pcmBytes(SAMPLES), { size: 0xffffffff })], 'RF64', 'WAVE', 0xffffffff), 16],
  ];
  for (const [name, bytes, dataBytes] of cases) {
    const r = parseWav(bytes);
    assert.ok(r.ok, `${name}: ${r.ok ? '' : r.error}`);
    assert.equal(r.wav.data.length, dataBytes, name);
    assert.deepEqual([...r.wav.data], pcmBytes(SAMPLES).slice(0, dataBytes), name);
    assert.equal(r.wav.format, 'pcm16', name);
  }
  const ext = parseWav(riff([chunk('fmt ', extensibleFmt(7, 2, 16000, 8)), chunk('data', [1, 2, 3, 4])]));
  assert.ok(ext.ok);
  assert.deepEqual([ext.wav.format, ext.wav.channels, ext.wav.sampleRate], ['ulaw', 2, 16000]);
  const extA = parseWav(riff([chunk('fmt ', extensibleFmt(6, 1, 8000, 8)), chunk('data', [1])]));
  assert.ok(extA.ok && extA.wav.format === 'alaw');
});

test('bad input gives ok:false with a clear message and never throws', () => {
  const fmt = chunk('fmt ', fmtBody(1, 1, 8000, 16));
  const data = chunk('data', pcmBytes(SAMPLES));
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /too short/],
    ['RIFF only', Uint8Array.from(ascii('RIFF')), /too short/],
    ['RIFF header and nothing else', riff([]), /no fmt chunk/],
    ['wrong magic', Uint8Array.from([...ascii('JUNK'), ...le32(4), ...ascii('WAVE')]), /not a RIFF file/],
    ['big-endian RIFX', riff([fmt, data], 'RIFX'), /RIFX/],
    ['RIFF but AVI', riff([fmt, data], 'RIFF', 'AVI '), /"AVI ", not "WAVE"/],
    ['fmt chunk truncated', Uint8Array.from([...riff([]), ...ascii('fmt '), ...le32(16), 1, 0, 1, 0, 0x40]), /cut off/],
    ['fmt chunk too short', riff([chunk('fmt ', fmtBody(1, 1, 8000, 16).slice(0, 14)), data]), /shorter than the 16/],
    ['8-bit PCM', riff([chunk('fmt ', fmtBody(1, 1, 8000, 8)), data]), /8-bit PCM is not supported/],
    ['24-bit PCM', riff([chunk('fmt ', fmtBody(1, 1, 8000, 24)), data]), /24-bit PCM is not supported/],
    ['32-bit PCM', riff([chunk('fmt ', fmtBody(1, 1, 8000, 32)), data]), /32-bit PCM is not supported/],
    ['24-bit extensible', riff([chunk('fmt ', extensibleFmt(1, 1, 8000, 24)), data]), /24-bit PCM/],
    ['IEEE float', riff([chunk('fmt ', fmtBody(3, 1, 8000, 32)), data]), /0x0003 \(IEEE float\)/],
    ['MP3', riff([chunk('fmt ', fmtBody(0x55, 1, 8000, 0)), data]), /MPEG layer 3/],
    ['extensible float', riff([chunk('fmt ', extensibleFmt(3, 1, 8000, 32)), data]), /IEEE float/],
    ['extensible unknown GUID', riff([chunk('fmt ', extensibleFmt(1, 1, 8000, 16, new Array(14).fill(0x42))), data]), /unknown SubFormat/],
    ['extensible too short', riff([chunk('fmt ', fmtBody(0xfffe, 1, 8000, 16)), data]), /shorter than 40/],
    ['µ-law with 16 bits', riff([chunk('fmt ', fmtBody(7, 1, 8000, 16)), data]), /µ-law with 16 bits/],
    ['zero channels', riff([chunk('fmt ', fmtBody(1, 0, 8000, 16)), data]), /zero channels/],
    ['too many channels', riff([chunk('fmt ', fmtBody(1, 200, 8000, 16)), data]), /200 channels/],
    ['rate 0', riff([chunk('fmt ', fmtBody(1, 1, 0, 16)), data]), /sample rate 0 Hz/],
    ['rate 10 MHz', riff([chunk('fmt ', fmtBody(1, 1, 10_000_000, 16)), data]), /sample rate 10000000 Hz/],
    ['data before fmt', riff([data, fmt]), /data chunk comes before the fmt chunk/],
    ['no data chunk', riff([fmt, chunk('LIST', ascii('INFO'))]), /no data chunk/],
    ['two fmt chunks', riff([fmt, fmt, data]), /more than one fmt/],
    ['huge chunk before data', riff([fmt, chunk('LIST', ascii('INFO'), { size: 0xfffffff0 }), data]), /"LIST" of 4294967280 bytes runs past the end/],
    ['huge chunk before fmt', riff([chunk('JUNK', [0, 0], { size: 0x7fffffff }), fmt, data]), /before any fmt chunk/],
    ['huge fmt chunk', riff([chunk('fmt ', fmtBody(1, 1, 8000, 16), { size: 0xffffffff }), data]), /runs past the end/],
  ];
  for (const [name, bytes, pattern] of cases) {
    let r: ReturnType<typeof parseWav> | undefined;
    assert.doesNotThrow(() => { r = parseWav(bytes); }, name);
    expectError(r!, pattern);
    const d = decodeWavToMono8k(bytes);
    assert.equal(d.ok, false, name);
    if (!d.ok && !r!.ok) assert.equal(d.error, r!.error, name);
  }
});

// ---- sox ----------------------------------------------------------------------------------------

const SOX = '/usr/bin/sox';
const hasSox = existsSync(SOX);
const skipSox = !hasSox && 'sox not found (apt-get install sox)';

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wav-'));
  try { return fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

function sox(args: string[]): void {
  const r = spawnSync(SOX, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** sox's own decoding of a file to 16-bit native samples (no dither, no rate change). */
function soxPcm(dir: string, file: string): Int16Array {
  const raw = join(dir, 'pcm.raw');
  sox(['-D', file, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-L', raw]);
  const b = readFileSync(raw);
  return Int16Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(2 * i));
}

test('files written by sox parse as sox reads them', { skip: skipSox }, () => withDir((dir) => {
  const make = (name: string, args: string[]): string => { const f = join(dir, name); sox(['-n', ...args, f, 'synth', '0.5', 'sine', '440']); return f; };
  const cases = [
    { file: make('stereo.wav', ['-r', '22050', '-c', '2', '-b', '16']), format: 'pcm16', rate: 22050, channels: 2, frames: 11025 },
    { file: make('ulaw.wav', ['-r', '8000', '-c', '1', '-e', 'mu-law']), format: 'ulaw', rate: 8000, channels: 1, frames: 4000 },
    { file: make('alaw.wav', ['-r', '8000', '-c', '1', '-e', 'a-law']), format: 'alaw', rate: 8000, channels: 1, frames: 4000 },
    // More than two channels makes sox write WAVE_FORMAT_EXTENSIBLE; wavpcm forces a plain header.
    { file: make('ext.wav', ['-r', '16000', '-c', '3', '-b', '16']), format: 'pcm16', rate: 16000, channels: 3, frames: 8000 },
    { file: make('plain.wav', ['-t', 'wavpcm', '-r', '16000', '-c', '1', '-b', '16']), format: 'pcm16', rate: 16000, channels: 1, frames: 8000 },
    { file: make('ulaw-stereo-11k.wav', ['-r', '11025', '-c', '2', '-e', 'mu-law']), format: 'ulaw', rate: 11025, channels: 2, frames: 5512 },
  ];
  const bytes0 = readFileSync(cases[3]!.file);
  assert.equal(bytes0.readUInt16LE(20), 0xfffe, 'sox wrote an extensible header');
  for (const c of cases) {
    const bytes = new Uint8Array(readFileSync(c.file));
    const r = parseWav(bytes);
    assert.ok(r.ok, `${c.file}: ${r.ok ? '' : r.error}`);
    assert.deepEqual([r.wav.format, r.wav.sampleRate, r.wav.channels], [c.format, c.rate, c.channels], c.file);
    const frameBytes = c.channels * (c.format === 'pcm16' ? 2 : 1);
    assert.equal(r.wav.data.length, c.frames * frameBytes, c.file);
    // Same samples as sox decodes them.
    const want = soxPcm(dir, c.file);
    const got = new Int16Array(want.length);
    if (c.format === 'pcm16') for (let i = 0; i < got.length; i++) got[i] = (r.wav.data[2 * i]! | (r.wav.data[2 * i + 1]! << 8)) << 16 >> 16;
    else for (let i = 0; i < got.length; i++) got[i] = (c.format === 'ulaw' ? ulawDecode : alawDecode)(r.wav.data[i]!);
    assert.deepEqual(got, want, c.file);
    // And the mono 8 kHz version holds the 440 Hz tone.
    const d = decodeWavToMono8k(bytes);
    assert.ok(d.ok);
    assert.equal(d.samples.length, Math.ceil((c.frames * 8000) / c.rate));
    const body = d.samples.subarray(200, d.samples.length - 200);
    let crossings = 0;
    for (let i = 1; i < body.length; i++) if ((body[i - 1]! < 0) !== (body[i]! < 0)) crossings++;
    assert.ok(Math.abs(crossings / 2 / (body.length / 8000) - 440) < 5, `${c.file}: ${crossings} crossings`);
  }
  const rejected = make('24.wav', ['-r', '16000', '-c', '1', '-b', '24']);
  expectError(parseWav(new Uint8Array(readFileSync(rejected))), /24-bit PCM is not supported/);
}));

test('sox reads the files we write, to the same samples', { skip: skipSox }, () => withDir((dir) => {
  const pcm = Int16Array.from({ length: 1601 }, (_, i) => Math.round(15000 * Math.sin(i / 7) + 3000 * Math.sin(i / 2)));
  const plain = join(dir, 'ours.wav');
  writeFileSync(plain, encodeWav(pcm, 8000, 1));
  assert.deepEqual(soxPcm(dir, plain), pcm);
  for (const format of ['ulaw', 'alaw'] as const) {
    const codes = new Uint8Array(pcm.length);
    if (format === 'ulaw') pcmToUlaw(pcm, codes); else pcmToAlaw(pcm, codes);
    const f = join(dir, `ours-${format}.wav`);
    writeFileSync(f, Uint8Array.from([...wavHeader({ sampleRate: 8000, channels: 1, format, dataBytes: codes.length }), ...codes, 0]));
    const r = spawnSync(SOX, ['-D', f, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-L', join(dir, 'x.raw')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', `sox complained about our ${format} header`);
    const ours = decodeWavToMono8k(readFileSync(f));
    assert.ok(ours.ok);
    assert.deepEqual(soxPcm(dir, f), ours.samples);
  }
}));

// ---- properties ---------------------------------------------------------------------------------

function checkResult(input: Uint8Array, r: ReturnType<typeof parseWav>): void {
  if (!r.ok) { assert.equal(typeof r.error, 'string'); assert.ok(r.error.length > 0); return; }
  const { wav } = r;
  assert.ok(wav.channels >= 1 && wav.sampleRate >= 1000);
  assert.equal(wav.data.buffer, input.buffer);
  assert.ok(wav.data.byteOffset >= input.byteOffset + 12 && wav.data.byteOffset + wav.data.length <= input.byteOffset + input.length);
  assert.equal(wav.data.length % (wav.channels * (wav.format === 'pcm16' ? 2 : 1)), 0);
}

test('property: parseWav never throws on random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, prefixed) => {
    // Half the time behind a valid RIFF/WAVE preamble, so the chunk walk is exercised too.
    const input = prefixed ? Uint8Array.from([...ascii('RIFF'), ...le32(bytes.length + 4), ...ascii('WAVE'), ...bytes]) : bytes;
    checkResult(input, parseWav(input));
    const d = decodeWavToMono8k(input);
    assert.equal(typeof d.ok, 'boolean');
  }), { numRuns: 1000 });
});

test('property: parseWav and decodeWavToMono8k never throw on mutations of valid files', () => {
  const valid = [
    riff([chunk('LIST', [...ascii('INFO'), ...chunk('INAM', ascii('abc'))]), chunk('fmt ', fmtBody(1, 2, 16000, 16)), chunk('data', pcmBytes([...SAMPLES, ...SAMPLES]))]),
    (() => { const codes = new Uint8Array(37).map((_, i) => i * 7); return Uint8Array.from([...wavHeader({ sampleRate: 8000, channels: 1, format: 'ulaw', dataBytes: 37 }), ...codes, 0]); })(),
    riff([chunk('fmt ', extensibleFmt(1, 1, 22050, 16)), chunk('data', pcmBytes(SAMPLES))]),
  ];
  fc.assert(fc.property(
    fc.constantFrom(...valid),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.option(fc.nat(), { nil: undefined }),
    (base, edits, cut) => {
      const bytes = base.slice();
      for (const [i, v] of edits) bytes[i % bytes.length] = v;
      const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      checkResult(input, parseWav(input));
      const d = decodeWavToMono8k(input);
      if (d.ok) assert.ok(d.samples instanceof Int16Array);
      else assert.ok(d.error.length > 0);
    },
  ), { numRuns: 2000 });
});
