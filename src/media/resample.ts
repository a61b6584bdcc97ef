// Sample-rate conversion to the 8 kHz of G.711 telephony (prompts recorded at 11.025, 16, 22.05,
// 44.1 or 48 kHz; espeak-ng speaks at 22.05 kHz). Band-limited interpolation: every output sample
// is the input convolved with a Kaiser-windowed sinc low-pass centred on its exact position, so
// the filter and the fractional delay are one step. The cut-off sits at 3.7 kHz, inside the new
// Nyquist frequency (4 kHz) and above the 3.4 kHz telephone band (ITU-T G.712), which keeps
// what would alias far down: flat (±0.05 dB) to 3.4 kHz, −6 dB at 3.7 kHz, ≥ 75 dB down from
// 4 kHz on. Rates whose ratio to 8000 reduces to few phases (all the usual ones) use a cached
// polyphase bank; any other integer rate computes its taps per output sample.

const OUT_RATE = 8000;
/** Cut-off as a fraction of the lower of the two Nyquist frequencies: 3.7 kHz at 8 kHz. */
const CUTOFF = 0.925;
/** Half-length of the kernel, in samples of the lower rate: the window spans 56 of them. */
const HALF_WIDTH = 28;
/** Kaiser window shape β ≈ 8: about 80 dB of stop-band attenuation. */
const BETA = 8;
/** Kernel table resolution: entries per sample of the lower rate (linear interpolation between). */
const OVERSAMPLE = 256;

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64 && term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/**
 * The prototype low-pass, sampled at 1/OVERSAMPLE of a lower-rate sample from 0 to HALF_WIDTH:
 * g(u) = CUTOFF · sinc(CUTOFF · u) · kaiser(u / HALF_WIDTH). Symmetric, so one side is kept.
 */
const KERNEL = (() => {
  const n = HALF_WIDTH * OVERSAMPLE;
  const t = new Float64Array(n + 2);
  const i0Beta = besselI0(BETA);
  for (let i = 0; i <= n; i++) {
    const u = i / OVERSAMPLE;
    const x = Math.PI * CUTOFF * u;
    const sinc = i === 0 ? 1 : Math.sin(x) / x;
    const r = u / HALF_WIDTH;
    t[i] = CUTOFF * sinc * (besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta);
  }
  return t; // t[n + 1] stays 0 so interpolation at the very edge reads a zero neighbour
})();

function kernelAt(u: number): number {
  const pos = Math.abs(u) * OVERSAMPLE;
  const i = Math.floor(pos);
  if (i >= HALF_WIDTH * OVERSAMPLE) return 0;
  const a = KERNEL[i]!;
  return a + (KERNEL[i + 1]! - a) * (pos - i);
}

/** Polyphase plan for one input rate: output n sits at input position n·step/phases. */
interface Plan {
  phases: number;
  step: number;
  /** Offset of the first tap from the integer part of the position, and the taps per phase. */
  first: number;
  taps: number;
  /** `phases` rows of `taps` weights, each row summing to 1; absent when there are too many phases. */
  bank: Float64Array | undefined;
  scale: number;
}

/** Rates whose phase count stays under this get a precomputed bank (every common rate: ≤ 320). */
const MAX_BANK_PHASES = 512;
const plans = new Map<number, Plan>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function planFor(fromRate: number): Plan {
  const cached = plans.get(fromRate);
  if (cached) return cached;
  const g = gcd(fromRate, OUT_RATE);
  const phases = OUT_RATE / g;
  // The kernel is defined on the lower rate's sample grid.
  const scale = Math.min(1, OUT_RATE / fromRate);
  const reach = HALF_WIDTH / scale;
  const first = Math.ceil(-reach);
  const taps = Math.floor(1 + reach) - first + 1;
  const plan: Plan = { phases, step: fromRate / g, first, taps, bank: undefined, scale };
  if (phases <= MAX_BANK_PHASES) {
    plan.bank = new Float64Array(phases * taps);
    for (let p = 0; p < phases; p++) weights(plan, p, plan.bank.subarray(p * taps, (p + 1) * taps));
    if (plans.size >= 8) plans.delete(plans.keys().next().value!);
    plans.set(fromRate, plan);
  }
  return plan;
}

/** Taps for phase p (position p/phases past an input sample), normalised to a sum of 1 so the
 * gain at 0 Hz is exactly 1 whatever the phase. */
function weights(plan: Plan, p: number, into: Float64Array): void {
  const frac = p / plan.phases;
  let sum = 0;
  for (let j = 0; j < plan.taps; j++) {
    const w = kernelAt((frac - (plan.first + j)) * plan.scale);
    into[j] = w;
    sum += w;
  }
  for (let j = 0; j < plan.taps; j++) into[j]! /= sum;
}

/**
 * Converts 16-bit mono samples at `fromRate` (a positive integer, Hz) to 8000 Hz. 8000 Hz input
 * comes back as a copy. The output has ceil(length × 8000 / fromRate) samples; the input is
 * taken as silent before its first and after its last sample.
 */
export function resampleTo8k(samples: Int16Array, fromRate: number): Int16Array {
  if (!Number.isInteger(fromRate) || fromRate <= 0) throw new RangeError(`sample rate must be a positive integer, got ${fromRate}`);
  if (fromRate === OUT_RATE) return samples.slice();
  const len = samples.length;
  const out = new Int16Array(Math.ceil((len * OUT_RATE) / fromRate));
  const plan = planFor(fromRate);
  const { phases, step, first, taps, bank } = plan;
  const scratch = bank ? undefined : new Float64Array(taps);
  let base = 0; // integer part of the position
  let phase = 0; // fractional part, in 1/phases
  for (let n = 0; n < out.length; n++) {
    let w: Float64Array;
    let wo = 0;
    if (bank) { w = bank; wo = phase * taps; } else { w = scratch!; weights(plan, phase, w); }
    const k0 = base + first;
    let acc = 0;
    if (k0 >= 0 && k0 + taps <= len) {
      for (let j = 0; j < taps; j++) acc += w[wo + j]! * samples[k0 + j]!;
    } else {
      for (let j = 0; j < taps; j++) {
        const k = k0 + j;
        if (k >= 0 && k < len) acc += w[wo + j]! * samples[k]!;
      }
    }
    const y = Math.round(acc);
    out[n] = y > 32767 ? 32767 : y < -32768 ? -32768 : y;
    phase += step;
    if (phase >= phases) { base += Math.floor(phase / phases); phase %= phases; }
  }
  return out;
}
