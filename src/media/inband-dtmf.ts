// In-band DTMF detection (ITU-T Q.23 frequencies, Q.24 reception conditions) for phones and
// gateways that send key presses as tones in the audio instead of RFC 4733 events.
//
// The 8 kHz signal is cut into blocks of 102 samples (12.75 ms); the Goertzel algorithm measures
// the power at the eight Q.23 frequencies in each block. A block names a digit when
//   - the strongest row and column tones are both above an absolute level (about −32 dBm0),
//   - each is at least 6 dB above every other tone of its group,
//   - the twist is within Q.24's limits: the high group at most 8 dB above the low group
//     (forward twist), the low group at most 4 dB above the high group (reverse twist),
//   - and the two tones carry at least 70 % of the block's energy, which speech, music and
//     noise, their energy spread over many frequencies, do not.
// A digit is reported once two consecutive blocks name it (the tone has then lasted at least
// 25.5 ms: every tone of 40 ms or more is caught, none shorter than 18 ms is), and cannot be
// reported again until three consecutive blocks do not name it (≥ 40 ms of pause always frees
// it; an interruption of 10 ms or less never does, so a held key is one digit).

import { dbm0ToAmplitude } from './tones.ts';

const RATE = 8000;
const BLOCK = 102;
const ROWS = [697, 770, 852, 941] as const;
const COLS = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;

/** Goertzel power of a sine of peak amplitude A filling a block: (A·N/2)². */
const powerOf = (amplitude: number): number => (amplitude * BLOCK / 2) ** 2;
/** Minimum power for each of the two tones: −32 dBm0, less 1 dB for a 1.5 % frequency offset. */
const MIN_TONE_POWER = powerOf(dbm0ToAmplitude(-33));
const RELATIVE_PEAK = 10 ** (6 / 10);
const FORWARD_TWIST = 10 ** (8 / 10);
const REVERSE_TWIST = 10 ** (4 / 10);
/** Share of the block energy in the two tones: (P_row + P_col) / (N/2 · Σx²) ≥ this. */
const TONE_SHARE = 0.7;
const HITS_TO_REPORT = 2;
const MISSES_TO_RELEASE = 3;

const COEF = Float64Array.from([...ROWS, ...COLS], (f) => 2 * Math.cos((2 * Math.PI * f) / RATE));

/** Detects DTMF digits in a stream of 8 kHz samples fed in pieces of any size. */
export class InbandDtmfDetector {
  readonly #block = new Float64Array(BLOCK);
  readonly #power = new Float64Array(8);
  #fill = 0;
  #candidate: string | null = null;
  #run = 0;
  #held: string | null = null;
  #misses = 0;

  /** Feeds samples; returns the digits whose key press was recognised within them, in order. */
  push(samples: Int16Array): string[] {
    const out: string[] = [];
    const block = this.#block;
    for (let i = 0; i < samples.length; i++) {
      block[this.#fill++] = samples[i]!;
      if (this.#fill === BLOCK) {
        this.#fill = 0;
        const d = this.#decide(this.#classify());
        if (d !== null) out.push(d);
      }
    }
    return out;
  }

  /** Forgets any partial block and held digit (e.g. when the stream restarts). */
  reset(): void {
    this.#fill = 0;
    this.#candidate = null;
    this.#run = 0;
    this.#held = null;
    this.#misses = 0;
  }

  /** The digit one block shows, or null. */
  #classify(): string | null {
    const x = this.#block;
    let energy = 0;
    for (let i = 0; i < BLOCK; i++) energy += x[i]! * x[i]!;
    if (energy === 0) return null;
    const p = this.#power;
    for (let f = 0; f < 8; f++) {
      const c = COEF[f]!;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < BLOCK; i++) {
        const s = x[i]! + c * s1 - s2;
        s2 = s1;
        s1 = s;
      }
      p[f] = s1 * s1 + s2 * s2 - c * s1 * s2;
    }
    let r = 0;
    let col = 4;
    for (let f = 1; f < 4; f++) if (p[f]! > p[r]!) r = f;
    for (let f = 5; f < 8; f++) if (p[f]! > p[col]!) col = f;
    const pr = p[r]!;
    const pc = p[col]!;
    if (pr < MIN_TONE_POWER || pc < MIN_TONE_POWER) return null;
    if (pc > pr * FORWARD_TWIST || pr > pc * REVERSE_TWIST) return null;
    for (let f = 0; f < 4; f++) if (f !== r && p[f]! * RELATIVE_PEAK > pr) return null;
    for (let f = 4; f < 8; f++) if (f !== col && p[f]! * RELATIVE_PEAK > pc) return null;
    if (pr + pc < TONE_SHARE * (BLOCK / 2) * energy) return null;
    return KEYS[r]![col - 4]!;
  }

  /** Q.24 timing: a digit seen in enough consecutive blocks is reported once per key press. */
  #decide(seen: string | null): string | null {
    if (seen === this.#candidate) this.#run++;
    else { this.#candidate = seen; this.#run = 1; }
    let report: string | null = null;
    if (seen !== null && this.#run >= HITS_TO_REPORT && seen !== this.#held) {
      report = seen;
      this.#held = seen;
    }
    if (this.#held !== null) {
      if (seen === this.#held) this.#misses = 0;
      else if (++this.#misses >= MISSES_TO_RELEASE) { this.#held = null; this.#misses = 0; }
    }
    return report;
  }
}

/**
 * A DTMF digit (0-9, *, #, A-D) as `ms` of 8 kHz samples, both Q.23 frequencies at `level` dBm0
 * each (default −10), starting at phase 0.
 */
export function dtmfTone(digit: string, ms: number, level = -10): Int16Array {
  const key = digit.toUpperCase();
  const r = KEYS.findIndex((row) => row.includes(key));
  if (key.length !== 1 || r === -1) throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
  const fr = ROWS[r]!;
  const fc = COLS[KEYS[r]!.indexOf(key)]!;
  const a = dbm0ToAmplitude(level);
  const n = Math.max(0, Math.round(ms * (RATE / 1000)));
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.round(a * (Math.sin((2 * Math.PI * fr * i) / RATE) + Math.sin((2 * Math.PI * fc * i) / RATE)));
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
