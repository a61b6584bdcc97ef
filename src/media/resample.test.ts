import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resampleTo8k } from './resample.ts';

function sine(f: number, rate: number, seconds: number, amplitude = 16000): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * f * i) / rate)));
}

/** Peak amplitude of the component at f (Goertzel over x; a sine of peak A gives ≈ A). */
function amplitudeAt(x: Int16Array, f: number, rate = 8000): number {
  const c = 2 * Math.cos((2 * Math.PI * f) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) { const s = v + c * s1 - s2; s2 = s1; s1 = s; }
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / x.length;
}

const rms = (x: Int16Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
const db = (ratio: number): number => 20 * Math.log10(ratio);
/** The middle of a signal, away from the edges where the input is taken as silent. */
const middle = (x: Int16Array): Int16Array => x.subarray(400, x.length - 400);

const RATES = [11025, 16000, 22050, 44100, 48000];

test('8000 Hz comes back as an equal copy', () => {
  const x = sine(440, 8000, 0.1);
  const y = resampleTo8k(x, 8000);
  assert.deepEqual(y, x);
  assert.notEqual(y, x);
});

test('output length is ceil(n × 8000 / rate)', () => {
  for (const rate of [...RATES, 6000, 7919, 96000]) {
    for (const n of [0, 1, 2, 100, 22051]) assert.equal(resampleTo8k(new Int16Array(n), rate).length, Math.ceil((n * 8000) / rate), `${n} at ${rate}`);
  }
});

test('a 1 kHz sine at 22050 Hz comes out at 1 kHz, same amplitude, same phase', () => {
  const y = resampleTo8k(sine(1000, 22050, 1), 22050);
  assert.equal(y.length, 8000);
  const body = middle(y);
  // Zero crossings: 2 per cycle.
  let crossings = 0;
  for (let i = 1; i < body.length; i++) if ((body[i - 1]! < 0) !== (body[i]! < 0)) crossings++;
  const hz = crossings / 2 / (body.length / 8000);
  assert.ok(Math.abs(hz - 1000) < 2, `${hz} Hz`);
  assert.ok(Math.abs(db(amplitudeAt(body, 1000) / 16000)) < 1, 'within 1 dB');
  // Zero-phase filter: every sample matches the ideal 8 kHz sine (no delay) within 0.2 %.
  for (let n = 400; n < 7600; n++) {
    const ideal = 16000 * Math.sin((2 * Math.PI * 1000 * n) / 8000);
    assert.ok(Math.abs(y[n]! - ideal) < 32, `sample ${n}: ${y[n]} vs ${ideal.toFixed(0)}`);
  }
});

test('every supported rate: the telephone band passes flat (±0.1 dB from 300 Hz to 3.4 kHz)', () => {
  for (const rate of RATES) {
    for (const f of [300, 1000, 2000, 3000, 3400]) {
      const y = middle(resampleTo8k(sine(f, rate, 0.5), rate));
      const gain = db(amplitudeAt(y, f) / 16000);
      assert.ok(Math.abs(gain) < 0.1, `${f} Hz at ${rate}: ${gain.toFixed(2)} dB`);
    }
  }
});

test('anti-aliasing: a 6 kHz tone at 48 kHz is attenuated by far more than 30 dB', () => {
  const x = sine(6000, 48000, 1);
  const y = middle(resampleTo8k(x, 48000));
  const attenuation = db(rms(x) / Math.max(rms(y), 1e-9));
  assert.ok(attenuation >= 30, `${attenuation.toFixed(1)} dB`);
  assert.ok(attenuation >= 60, `${attenuation.toFixed(1)} dB (the filter's stop band)`);
  // Whatever would fold back into the band (4.1 to 10 kHz) stays ≥ 60 dB down at every rate.
  for (const rate of RATES) {
    for (const f of [4100, 4500, 5000, 7000, 10000].filter((f) => f < rate / 2)) {
      const out = middle(resampleTo8k(sine(f, rate, 0.5), rate));
      const down = db(16000 / Math.SQRT2 / Math.max(rms(out), 1e-9));
      assert.ok(down >= 60, `${f} Hz at ${rate}: only ${down.toFixed(1)} dB down`);
    }
  }
});

test('unity gain at 0 Hz at every phase, and full scale does not wrap', () => {
  for (const rate of [...RATES, 7919, 12345]) {
    const dc = resampleTo8k(new Int16Array(rate).fill(-12345), rate);
    for (const v of middle(dc)) assert.equal(v, -12345, `rate ${rate}`);
    const loud = resampleTo8k(sine(1000, rate, 0.2, 32767), rate);
    assert.ok(loud.every((v) => v >= -32768 && v <= 32767) && Math.max(...loud) > 32000, `rate ${rate}`);
  }
});

test('uncommon rates (no polyphase bank) and rates below 8 kHz work too', () => {
  for (const rate of [6000, 7919, 12345, 44056]) {
    const y = middle(resampleTo8k(sine(700, rate, 0.5), rate));
    assert.ok(Math.abs(db(amplitudeAt(y, 700) / 16000)) < 0.1, `rate ${rate}`);
    assert.ok(amplitudeAt(y, 1500) < 16, `rate ${rate}: spurious 1500 Hz`);
  }
});

test('rejects a rate that is not a positive integer', () => {
  for (const bad of [0, -8000, 22050.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => resampleTo8k(new Int16Array(10), bad), RangeError);
});
