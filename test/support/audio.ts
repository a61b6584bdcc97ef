// Measuring audio in interop tests: WAV channels, level, and whether one signal contains another
// (normalized cross-correlation at the best lag, as `sox`-style checks would).
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parseWav } from '../../src/media/index.ts';
import { alawDecode, ulawDecode } from '../../src/media/g711.ts';

/** Every channel of a WAV file (or bytes) as 16-bit samples. */
export function wavChannels(file: string | Uint8Array): { rate: number; channels: Int16Array[] } {
  const bytes = typeof file === 'string' ? readFileSync(file) : file;
  const r = parseWav(bytes);
  if (!r.ok) throw new Error(`not a WAV: ${r.error}`);
  const { wav } = r;
  const frames = wav.format === 'pcm16' ? Math.floor(wav.data.length / 2 / wav.channels) : Math.floor(wav.data.length / wav.channels);
  const out = Array.from({ length: wav.channels }, () => new Int16Array(frames));
  const view = new DataView(wav.data.buffer, wav.data.byteOffset, wav.data.byteLength);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < wav.channels; c++) {
      const k = i * wav.channels + c;
      out[c]![i] = wav.format === 'pcm16' ? view.getInt16(k * 2, true) : wav.format === 'ulaw' ? ulawDecode(wav.data[k]!) : alawDecode(wav.data[k]!);
    }
  }
  return { rate: wav.sampleRate, channels: out };
}

/** RMS level in dBFS. */
export function rmsDb(x: Int16Array): number {
  let e = 0;
  for (const v of x) e += v * v;
  return 10 * Math.log10(e / Math.max(1, x.length) / (32768 * 32768) + 1e-12);
}

/**
 * How well `signal` contains `ref` (both 8 kHz): the best normalized correlation of a window of
 * `ref` against `signal` over lags 0..maxLag samples (1.0: identical, ~0: unrelated).
 */
export function containment(ref: Int16Array, signal: Int16Array, opts: { refStart?: number; window?: number; maxLag?: number } = {}): { corr: number; lag: number } {
  const start = opts.refStart ?? 0;
  const n = Math.min(opts.window ?? 8000, ref.length - start);
  const maxLag = Math.min(opts.maxLag ?? 24000, signal.length - n);
  let refE = 0;
  for (let i = 0; i < n; i++) refE += ref[start + i]! ** 2;
  let best = { corr: 0, lag: 0 };
  for (let lag = 0; lag <= maxLag; lag++) {
    let dot = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const s = signal[lag + i]!;
      dot += ref[start + i]! * s;
      e += s * s;
    }
    const corr = e > 0 && refE > 0 ? dot / Math.sqrt(refE * e) : 0;
    if (corr > best.corr) best = { corr, lag };
  }
  return best;
}

/**
 * Speech as an 8 kHz mono 16-bit WAV (espeak-ng, then sox): one utterance followed by `repeats`
 * copies of it, so baresip's aufile never hits its end. Returns the length of one utterance in
 * samples: any stretch of what a phone played is in the file at a lag below that.
 */
export function speechWav(text: string, voice: string, out: string, repeats = 15): number {
  const raw = `${out}.22k.wav`;
  const one = `${out}.once.wav`;
  const e = spawnSync('espeak-ng', ['-v', voice, '-w', raw, text], { env: { ...process.env, HOME: '/tmp' } });
  if (e.status !== 0) throw new Error(`espeak-ng failed: ${e.stderr}`);
  const o = spawnSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', one]);
  if (o.status !== 0) throw new Error(`sox failed: ${o.stderr}`);
  const s = spawnSync('sox', [one, out, 'repeat', String(repeats)]);
  if (s.status !== 0) throw new Error(`sox failed: ${s.stderr}`);
  return wavChannels(one).channels[0]!.length;
}
