// Call-progress tones (ITU-T E.180 and the national plans listed in its Supplement 2) as 8 kHz
// 16-bit frames. A tone is a cadence of segments, each a sum of sine waves or silence, played
// once or repeated. Oscillators are recursive (y[n] = 2·cos ω·y[n−1] − y[n−2]) and carry their
// state from frame to frame and across segments of the same sound, so a continuous tone has no
// seams; where the cadence switches a sound on or off, a 2 ms raised-cosine ramp inside the
// segment keeps the switching from clicking without moving the cadence by a sample.

export interface ToneSegment {
  /** Hz; empty for silence. */
  frequencies: readonly number[];
  ms: number;
  /** Level of each frequency in dBm0 (e.g. −13); ignored for silence. */
  level: number;
}

export interface ToneSpec {
  segments: readonly ToneSegment[];
  /** true: the cadence repeats until stopped; false: played once (a beep). */
  repeat: boolean;
}

export type ToneName = 'ringback' | 'busy' | 'congestion' | 'beep' | 'dial';
export type ToneRegion = 'us' | 'cn';

const RATE = 8000;
const RAMP_SAMPLES = 16;

/**
 * Peak 16-bit amplitude of a sine at `dbm0`. G.711's theoretical load capacity (the largest sine
 * the code can carry, peak 8159 of 8159 in µ-law's 14-bit scale) is +3.17 dBm0, so 0 dBm0 is a
 * sine of peak 32636 · 10^(−3.17/20) ≈ 22 656.
 */
export function dbm0ToAmplitude(dbm0: number): number {
  return 32636 * 10 ** ((dbm0 - 3.17) / 20);
}

const on = (frequencies: number[], ms: number, level: number): ToneSegment => ({ frequencies, ms, level });
const off = (ms: number): ToneSegment => ({ frequencies: [], ms, level: 0 });

/**
 * National tone plans, each frequency at the level given. 'us': the North American precise tone
 * plan (Telcordia GR-506-CORE; E.180 Suppl. 2, United States): dial 350+440 Hz continuous at
 * −13 dBm0, ringback 440+480 Hz 2 s on 4 s off at −19 dBm0, busy 480+620 Hz 0.5 s on 0.5 s off
 * and reorder (congestion) 0.25/0.25 s at −24 dBm0. 'cn': China (E.180 Suppl. 2, China): 450 Hz
 * at −10 dBm0, dial continuous, ringback 1 s on 4 s off, busy 0.35/0.35 s, congestion 0.7/0.7 s.
 * The beep (a cue before recording or after a prompt; not a network tone) is 1000 Hz, 200 ms, once.
 */
export const TONE_PLANS: Record<ToneRegion, Record<ToneName, ToneSpec>> = {
  us: {
    dial: { segments: [on([350, 440], 1000, -13)], repeat: true },
    ringback: { segments: [on([440, 480], 2000, -19), off(4000)], repeat: true },
    busy: { segments: [on([480, 620], 500, -24), off(500)], repeat: true },
    congestion: { segments: [on([480, 620], 250, -24), off(250)], repeat: true },
    beep: { segments: [on([1000], 200, -13)], repeat: false },
  },
  cn: {
    dial: { segments: [on([450], 1000, -10)], repeat: true },
    ringback: { segments: [on([450], 1000, -10), off(4000)], repeat: true },
    busy: { segments: [on([450], 350, -10), off(350)], repeat: true },
    congestion: { segments: [on([450], 700, -10), off(700)], repeat: true },
    beep: { segments: [on([1000], 200, -13)], repeat: false },
  },
};

/** Same sound: the oscillators run on from one segment into the next. */
function sameSound(a: ToneSegment | undefined, b: ToneSegment | undefined): boolean {
  if (!a || !b) return false;
  if (a.frequencies.length === 0 || b.frequencies.length === 0) return a.frequencies.length === b.frequencies.length;
  return a.level === b.level && a.frequencies.length === b.frequencies.length && a.frequencies.every((f, i) => f === b.frequencies[i]);
}

interface Prepared {
  segment: ToneSegment;
  samples: number;
  /** 2·cos ω per frequency. */
  coef: Float64Array;
  omega: Float64Array;
  amplitude: number;
}

/** Generates a ToneSpec frame by frame, phase-continuous, exact to the sample in its cadence. */
export class ToneGenerator {
  readonly spec: ToneSpec;
  readonly #segs: Prepared[];
  readonly #total: number;
  #index = 0;
  #offset = 0;
  #first = true;
  #done = false;
  /** Oscillator state per frequency: y[n−1] and y[n−2] of a unit sine. */
  #y1 = new Float64Array(0);
  #y2 = new Float64Array(0);
  #rampIn = 0;
  #rampOut = 0;

  constructor(spec: ToneSpec) {
    this.spec = spec;
    this.#segs = spec.segments.map((segment) => {
      const omega = Float64Array.from(segment.frequencies, (f) => (2 * Math.PI * f) / RATE);
      return {
        segment,
        samples: Math.max(0, Math.round(segment.ms * (RATE / 1000))),
        omega,
        coef: omega.map((w) => 2 * Math.cos(w)),
        amplitude: dbm0ToAmplitude(segment.level),
      };
    });
    this.#total = this.#segs.reduce((s, p) => s + p.samples, 0);
    this.reset();
  }

  /** Back to the first sample of the cadence. */
  reset(): void {
    this.#index = 0;
    this.#offset = 0;
    this.#first = true;
    this.#done = this.#total === 0;
    if (!this.#done) this.#enter();
  }

  /** True once a non-repeating tone has played all its samples. */
  get finished(): boolean {
    return this.#done;
  }

  /**
   * Fills the frame (160 samples for 20 ms, or any length) with the next samples. Returns false
   * when a non-repeating tone had already ended before this frame (which is then silence); a
   * frame in which it ends is padded with silence and still returns true.
   */
  fill(frame: Int16Array): boolean {
    if (this.#done) { frame.fill(0); return false; }
    let i = 0;
    while (i < frame.length) {
      if (this.#done) { frame.fill(0, i); break; }
      const seg = this.#segs[this.#index]!;
      const n = Math.min(frame.length - i, seg.samples - this.#offset);
      this.#render(seg, frame, i, n);
      i += n;
      this.#offset += n;
      if (this.#offset >= seg.samples) this.#advance();
    }
    return true;
  }

  #render(seg: Prepared, frame: Int16Array, at: number, n: number): void {
    const k = seg.coef.length;
    if (k === 0) { frame.fill(0, at, at + n); return; }
    const y1 = this.#y1;
    const y2 = this.#y2;
    const amp = seg.amplitude;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let f = 0; f < k; f++) {
        const y = seg.coef[f]! * y1[f]! - y2[f]!;
        y2[f] = y1[f]!;
        y1[f] = y;
        s += y;
      }
      const pos = this.#offset + j;
      let gain = amp;
      if (pos < this.#rampIn) gain *= 0.5 - 0.5 * Math.cos((Math.PI * (pos + 0.5)) / this.#rampIn);
      const fromEnd = seg.samples - 1 - pos;
      if (fromEnd < this.#rampOut) gain *= 0.5 - 0.5 * Math.cos((Math.PI * (fromEnd + 0.5)) / this.#rampOut);
      const v = Math.round(s * gain);
      frame[at + j] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  }

  #advance(): void {
    this.#offset = 0;
    this.#first = false;
    do {
      this.#index++;
      if (this.#index >= this.#segs.length) {
        if (!this.spec.repeat) { this.#done = true; return; }
        this.#index = 0;
      }
    } while (this.#segs[this.#index]!.samples === 0);
    this.#enter();
  }

  /** Sets up the segment at #index: oscillators restart at phase 0 unless the sound continues. */
  #enter(): void {
    while (this.#segs[this.#index]!.samples === 0) this.#index++; // total > 0: one has samples
    const seg = this.#segs[this.#index]!;
    const prev = this.#first ? undefined : this.#neighbour(-1);
    const next = this.#neighbour(1);
    const continues = sameSound(prev?.segment, seg.segment);
    if (!continues) {
      // Seed y[−1] = sin(−ω), y[−2] = sin(−2ω) so that y[0] = sin 0 = 0.
      this.#y1 = seg.omega.map((w) => Math.sin(-w));
      this.#y2 = seg.omega.map((w) => Math.sin(-2 * w));
    } else if (seg.coef.length > 0) {
      // Re-normalise the running oscillators (amplitude drifts by rounding over long tones).
      for (let f = 0; f < seg.coef.length; f++) {
        const w = seg.omega[f]!;
        const a = this.#y1[f]!;
        const b = this.#y2[f]!;
        // Unit sine through y[n−2], y[n−1]: amplitude² = (a² + b² − 2ab·cos ω) / sin² ω.
        const amp = Math.sqrt((a * a + b * b - 2 * a * b * Math.cos(w)) / Math.sin(w) ** 2);
        if (amp > 0) { this.#y1[f] = a / amp; this.#y2[f] = b / amp; }
      }
    }
    const ramp = Math.min(RAMP_SAMPLES, Math.floor(seg.samples / 2));
    this.#rampIn = continues ? 0 : ramp;
    this.#rampOut = sameSound(seg.segment, next?.segment) ? 0 : ramp;
  }

  /** The segment played before (−1) or after (+1) the current one, if any. */
  #neighbour(dir: -1 | 1): Prepared | undefined {
    const count = this.#segs.length;
    let i = this.#index;
    for (let step = 0; step < count; step++) {
      i += dir;
      if (i < 0 || i >= count) {
        if (!this.spec.repeat) return undefined;
        i = (i + count) % count;
      }
      const s = this.#segs[i]!;
      if (s.samples > 0) return s;
    }
    return undefined;
  }
}
