// G.711 throughput: the table-driven buffer functions of src/media/g711.ts against a naive
// per-sample formula (segment search and shifts for every sample, as G.191 spells it out), on
// the same 1 M-sample buffer of speech-like audio, 50 M samples per measurement after a warm-up.
// Target: ≥ 20 M samples/s for each direction of each law. Run: node bench/g711.ts [msamples=50]
import { alawToPcm, alawToUlaw, pcmToAlaw, pcmToUlaw, ulawToAlaw, ulawToPcm } from '../src/media/g711.ts';

const TARGET = 20; // M samples/s
const TOTAL = Number(process.argv[2] ?? 50) * 1e6;
const BUF = 1 << 20;
const ROUNDS = 3;

// Speech-like levels: a few sines with a slow envelope, plus low noise; every segment is used.
const pcm = new Int16Array(BUF);
let seed = 12345;
for (let i = 0; i < BUF; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  const env = 0.05 + 0.95 * Math.abs(Math.sin(i / 4000));
  const v = env * (14000 * Math.sin(i / 3.1) + 9000 * Math.sin(i / 7.7)) + ((seed >>> 16) - 32768) / 64;
  pcm[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
}
const codes = new Uint8Array(BUF);
const codes2 = new Uint8Array(BUF);
const out = new Int16Array(BUF);

function naiveUlawEncode(x: number): number {
  let mag = ((x < 0 ? ~x : x) >> 2) + 33;
  if (mag > 0x1fff) mag = 0x1fff;
  let seg = 0;
  while ((mag >> (seg + 6)) !== 0) seg++;
  const code = (seg << 4) | ((mag >> (seg + 1)) & 0x0f);
  return x >= 0 ? ~code & 0xff : ~code & 0x7f;
}
function naiveUlawDecode(c: number): number {
  const u = ~c & 0xff;
  const t = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
  return u & 0x80 ? -t : t;
}
function naiveAlawEncode(x: number): number {
  let mag = (x < 0 ? ~x : x) >> 4;
  if (mag > 15) {
    let seg = 1;
    while (mag > 31) { mag >>= 1; seg++; }
    mag = (seg << 4) | (mag - 16);
  }
  return (x >= 0 ? mag | 0x80 : mag) ^ 0x55;
}
function naiveAlawDecode(c: number): number {
  const a = (c ^ 0x55) & 0xff;
  const seg = (a >> 4) & 7;
  let t = ((a & 0x0f) << 4) + 8;
  if (seg !== 0) t = (t + 0x100) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function naiveEncode(f: (x: number) => number, src: Int16Array, dst: Uint8Array): void {
  for (let i = 0; i < src.length; i++) dst[i] = f(src[i]!);
}
function naiveDecode(f: (c: number) => number, src: Uint8Array, dst: Int16Array): void {
  for (let i = 0; i < src.length; i++) dst[i] = f(src[i]!);
}

/** Best throughput over ROUNDS runs of TOTAL samples, in M samples/s. */
function measure(run: () => void): number {
  for (let i = 0; i < 5; i++) run(); // warm-up: let the JIT settle
  const reps = Math.max(1, Math.round(TOTAL / BUF));
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, (reps * BUF) / seconds / 1e6);
  }
  return best;
}

// The naive code must produce the same bytes, or the comparison means nothing.
pcmToUlaw(pcm, codes);
naiveEncode(naiveUlawEncode, pcm, codes2);
if (!codes.every((c, i) => c === codes2[i])) throw new Error('naive µ-law encoder disagrees with the tables');
pcmToAlaw(pcm, codes);
naiveEncode(naiveAlawEncode, pcm, codes2);
if (!codes.every((c, i) => c === codes2[i])) throw new Error('naive A-law encoder disagrees with the tables');

pcmToUlaw(pcm, codes);
const ulawCodes = codes.slice();
pcmToAlaw(pcm, codes);
const alawCodes = codes.slice();

interface Row { name: string; table: number; naive: number | undefined }
const rows: Row[] = [
  { name: 'µ-law encode', table: measure(() => pcmToUlaw(pcm, codes)), naive: measure(() => naiveEncode(naiveUlawEncode, pcm, codes)) },
  { name: 'µ-law decode', table: measure(() => ulawToPcm(ulawCodes, out)), naive: measure(() => naiveDecode(naiveUlawDecode, ulawCodes, out)) },
  { name: 'A-law encode', table: measure(() => pcmToAlaw(pcm, codes)), naive: measure(() => naiveEncode(naiveAlawEncode, pcm, codes)) },
  { name: 'A-law decode', table: measure(() => alawToPcm(alawCodes, out)), naive: measure(() => naiveDecode(naiveAlawDecode, alawCodes, out)) },
  { name: 'µ-law → A-law', table: measure(() => ulawToAlaw(ulawCodes, codes)), naive: undefined },
  { name: 'A-law → µ-law', table: measure(() => alawToUlaw(alawCodes, codes)), naive: undefined },
];

const fmt = (v: number): string => v.toFixed(1).padStart(8);
console.log(`G.711 throughput, ${(TOTAL / 1e6).toFixed(0)} M samples per run, best of ${ROUNDS} (node ${process.version})`);
console.log(`  ${'operation'.padEnd(14)} ${'tables'.padStart(8)} ${'naive'.padStart(8)}  ratio  target ≥ ${TARGET}`);
for (const r of rows) {
  const ratio = r.naive === undefined ? '     -' : `${(r.table / r.naive).toFixed(1).padStart(5)}×`;
  console.log(`  ${r.name.padEnd(14)} ${fmt(r.table)} ${r.naive === undefined ? '       -' : fmt(r.naive)} ${ratio}  ${r.table >= TARGET ? 'met' : 'NOT MET'}`);
}
console.log('  (M samples/s)');
if (rows.some((r) => r.table < TARGET)) process.exitCode = 1;
