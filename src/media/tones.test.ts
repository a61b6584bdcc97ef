import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dbm0ToAmplitude, TONE_PLANS, ToneGenerator, type ToneName, type ToneRegion, type ToneSpec } from './tones.ts';

const RATE = 8000;
const RAMP = 16;

/** Runs a generator for `frames` frames of `size` samples and concatenates them. */
function render(spec: ToneSpec, samples: number, size = 160): { out: Int16Array; results: boolean[] } {
  const g = new ToneGenerator(spec);
  const out = new Int16Array(samples);
  const results: boolean[] = [];
  for (let at = 0; at < samples; at += size) {
    const frame = new Int16Array(Math.min(size, samples - at));
    results.push(g.fill(frame));
    out.set(frame, at);
  }
  return { out, results };
}

/** Peak amplitude of the component at f over x (Goertzel, normalised: a sine of peak A gives ≈ A). */
function amplitudeAt(x: Int16Array, f: number): number {
  const c = 2 * Math.cos((2 * Math.PI * f) / RATE);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) { const s = v + c * s1 - s2; s2 = s1; s1 = s; }
  return (2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2))) / x.length;
}

/**
 * The expected samples of a spec computed directly with Math.sin: each run of segments with the
 * same sound starts at phase 0, a 2 ms raised-cosine ramp at each edge where the sound changes.
 */
function expected(spec: ToneSpec, samples: number): Float64Array {
  const out = new Float64Array(samples);
  const segs = spec.segments.filter((s) => Math.round(s.ms * 8) > 0);
  const same = (a: (typeof segs)[number] | undefined, b: (typeof segs)[number] | undefined): boolean =>
    !!a && !!b && a.level === b.level && a.frequencies.join() === b.frequencies.join();
  let n = 0;
  let runStart = 0;
  for (let cycle = 0; n < samples; cycle++) {
    if (cycle > 0 && !spec.repeat) break;
    for (let i = 0; i < segs.length && n < samples; i++) {
      const s = segs[i]!;
      const len = Math.round(s.ms * 8);
      const prev = cycle === 0 && i === 0 ? undefined : segs[(i + segs.length - 1) % segs.length];
      const next = i === segs.length - 1 && !spec.repeat ? undefined : segs[(i + 1) % segs.length];
      if (!same(prev, s)) runStart = n;
      const ramp = Math.min(RAMP, Math.floor(len / 2));
      const rin = same(prev, s) ? 0 : ramp;
      const rout = same(s, next) ? 0 : ramp;
      const a = dbm0ToAmplitude(s.level);
      for (let j = 0; j < len && n < samples; j++, n++) {
        if (s.frequencies.length === 0) continue;
        let v = 0;
        for (const f of s.frequencies) v += Math.sin((2 * Math.PI * f * (n - runStart)) / RATE);
        let g = a;
        if (j < rin) g *= 0.5 - 0.5 * Math.cos((Math.PI * (j + 0.5)) / rin);
        if (len - 1 - j < rout) g *= 0.5 - 0.5 * Math.cos((Math.PI * (len - 1 - j + 0.5)) / rout);
        out[n] = v * g;
      }
    }
  }
  return out;
}

const PLAN_NAMES = Object.entries(TONE_PLANS).flatMap(([region, plan]) =>
  Object.keys(plan).map((name) => [region as ToneRegion, name as ToneName] as const));

test('the plans carry the cadences of E.180 Suppl. 2 for the United States and China', () => {
  const cadence = (s: ToneSpec): string => s.segments.map((g) => `${g.frequencies.join('+') || '-'}/${g.ms}`).join(' ');
  assert.equal(cadence(TONE_PLANS.us.ringback), '440+480/2000 -/4000');
  assert.equal(cadence(TONE_PLANS.us.busy), '480+620/500 -/500');
  assert.equal(cadence(TONE_PLANS.us.congestion), '480+620/250 -/250');
  assert.equal(cadence(TONE_PLANS.us.dial), '350+440/1000');
  assert.equal(cadence(TONE_PLANS.cn.ringback), '450/1000 -/4000');
  assert.equal(cadence(TONE_PLANS.cn.busy), '450/350 -/350');
  assert.equal(cadence(TONE_PLANS.cn.congestion), '450/700 -/700');
  assert.equal(cadence(TONE_PLANS.cn.dial), '450/1000');
  for (const region of ['us', 'cn'] as const) {
    assert.equal(TONE_PLANS[region].beep.repeat, false);
    for (const name of ['ringback', 'busy', 'congestion', 'dial'] as const) assert.equal(TONE_PLANS[region][name].repeat, true);
  }
});

test('0 dBm0 is a sine of peak ≈ 22 656; G.711 full scale is +3.17 dBm0', () => {
  assert.ok(Math.abs(dbm0ToAmplitude(0) - 22656) < 1);
  assert.ok(Math.abs(dbm0ToAmplitude(3.17) - 32636) < 1e-6);
  assert.ok(Math.abs(dbm0ToAmplitude(-20) / dbm0ToAmplitude(0) - 0.1) < 1e-12);
});

test('every tone of every plan matches the directly computed signal to 1 LSB over two cycles', () => {
  for (const [region, name] of PLAN_NAMES) {
    const spec = TONE_PLANS[region][name];
    const cycle = spec.segments.reduce((s, g) => s + Math.round(g.ms * 8), 0);
    const n = Math.max(2 * cycle, 16000);
    const { out } = render(spec, n);
    const want = expected(spec, n);
    for (let i = 0; i < n; i++) {
      if (Math.abs(out[i]! - want[i]!) > 1) assert.fail(`${region} ${name}: sample ${i} is ${out[i]}, expected ${want[i]!.toFixed(1)}`);
    }
  }
});

test('custom cadences: phase runs on across segments of one sound, ramps only where it changes', () => {
  const specs: ToneSpec[] = [
    // 425 Hz over 7 ms is 2.975 cycles: restarting the phase at each segment would be audible.
    { segments: [{ frequencies: [425], ms: 7, level: -10 }, { frequencies: [425], ms: 13, level: -10 }], repeat: true },
    { segments: [{ frequencies: [697, 1209], ms: 33, level: -10 }, { frequencies: [], ms: 17, level: 0 }, { frequencies: [941], ms: 21, level: -5 }], repeat: true },
    // A zero-length segment is skipped; a 3 ms segment gets 1.5 ms ramps.
    { segments: [{ frequencies: [], ms: 5, level: 0 }, { frequencies: [1000], ms: 3, level: -13 }, { frequencies: [], ms: 0, level: 0 }, { frequencies: [1000], ms: 250, level: -13 }], repeat: false },
  ];
  for (const spec of specs) {
    const n = 8000;
    const want = expected(spec, n);
    for (const size of [160, 37]) {
      const { out } = render(spec, n, size);
      for (let i = 0; i < n; i++) {
        if (Math.abs(out[i]! - want[i]!) > 1) assert.fail(`${JSON.stringify(spec.segments)}: sample ${i} is ${out[i]}, expected ${want[i]!.toFixed(1)}`);
      }
    }
  }
  // The 425 Hz tone is one unbroken sine: no step larger than the sine's own slope.
  const { out } = render(specs[0]!, 8000);
  const a = dbm0ToAmplitude(-10);
  for (let i = RAMP + 1; i < out.length; i++) assert.ok(Math.abs(out[i]! - out[i - 1]!) <= a * ((2 * Math.PI * 425) / RATE) + 1, `step at ${i}`);
});

test('the cadence is exact to the sample: silence is exactly zero, tone fills its segment', () => {
  // US ringback: tone over [0, 16000), silence over [16000, 48000), tone again from 48000.
  const { out } = render(TONE_PLANS.us.ringback, 96000);
  for (const [from, to] of [[16000, 48000], [64000, 96000]] as const) {
    for (let i = from; i < to; i++) assert.equal(out[i], 0, `sample ${i} should be silent`);
  }
  for (const start of [0, 48000]) {
    // Beyond the ramps, the tone is at full level right up to the segment's edges.
    const body = out.subarray(start + RAMP, start + 16000 - RAMP);
    const peak = body.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(peak > 1.9 * dbm0ToAmplitude(-19), `peak ${peak}`);
    assert.notEqual(out[start + 1], 0);
    assert.ok(out.subarray(start + 16000 - 8, start + 16000).some((v) => v !== 0), 'tone reaches its last millisecond');
  }
  // China busy: 350 ms = 2800 samples, not a whole number of 160-sample frames.
  const busy = render(TONE_PLANS.cn.busy, 4 * 5600).out;
  for (let k = 0; k < 4; k++) {
    const onStart = k * 5600;
    assert.ok(busy.subarray(onStart + 2800 - 8, onStart + 2800).some((v) => v !== 0));
    for (let i = onStart + 2800; i < onStart + 5600; i++) assert.equal(busy[i], 0, `busy sample ${i}`);
  }
});

test('frequency content: the plan\'s frequencies at their level, nothing else', () => {
  for (const [region, name] of PLAN_NAMES) {
    const spec = TONE_PLANS[region][name];
    const seg = spec.segments[0]!;
    const { out } = render(spec, Math.round(seg.ms * 8));
    const body = out.subarray(RAMP, out.length - RAMP);
    const a = dbm0ToAmplitude(seg.level);
    for (const f of seg.frequencies) {
      const got = amplitudeAt(body, f);
      assert.ok(Math.abs(20 * Math.log10(got / a)) < 0.5, `${region} ${name} ${f} Hz: ${got.toFixed(0)} vs ${a.toFixed(0)}`);
    }
    for (const f of [300, 350, 400, 440, 450, 480, 620, 1000, 1400].filter((f) => !seg.frequencies.includes(f) && seg.frequencies.every((g) => Math.abs(g - f) >= 40))) {
      const got = amplitudeAt(body, f);
      assert.ok(got < a * 0.05, `${region} ${name}: ${f} Hz at ${got.toFixed(0)}`);
    }
  }
});

test('no clicks: sample-to-sample steps never exceed the slope of the tone and its ramp', () => {
  for (const [region, name] of PLAN_NAMES) {
    const spec = TONE_PLANS[region][name];
    const { out } = render(spec, 80000);
    let bound = 0;
    for (const s of spec.segments) {
      const a = dbm0ToAmplitude(s.level);
      const slope = s.frequencies.reduce((sum, f) => sum + a * ((2 * Math.PI * f) / RATE + Math.PI / (2 * RAMP)), 0);
      bound = Math.max(bound, slope + 1);
    }
    let worst = 0;
    for (let i = 1; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i]! - out[i - 1]!));
    assert.ok(worst <= bound, `${region} ${name}: step ${worst} > ${bound.toFixed(0)}`);
    // A hard switch at the tone's peak level would step by far more than that.
    const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (spec.segments.length > 1) assert.ok(bound < peak, `${region} ${name}: bound ${bound} would not catch a cut at ${peak}`);
  }
});

test('phase-continuous whatever the frame size', () => {
  for (const spec of [TONE_PLANS.us.dial, TONE_PLANS.us.ringback, TONE_PLANS.cn.busy]) {
    const whole = render(spec, 60000, 60000).out;
    for (const size of [160, 1, 7, 80, 161, 1023]) assert.deepEqual(render(spec, 60000, size).out, whole, `frames of ${size}`);
  }
});

test('a beep finishes: true for the frames it fills, then false with silence', () => {
  const g = new ToneGenerator(TONE_PLANS.us.beep);
  const frame = new Int16Array(160);
  const results: boolean[] = [];
  let energy = 0;
  for (let i = 0; i < 10; i++) {
    results.push(g.fill(frame));
    energy += frame.reduce((s, v) => s + v * v, 0);
  }
  assert.deepEqual(results, Array(10).fill(true)); // 200 ms = 10 frames of 20 ms
  assert.ok(energy > 0);
  assert.equal(g.finished, true);
  frame.fill(123);
  assert.equal(g.fill(frame), false);
  assert.ok(frame.every((v) => v === 0));
  // A beep that ends inside a frame pads that frame with silence and still returns true.
  const odd = new ToneGenerator({ segments: [{ frequencies: [1000], ms: 30, level: -13 }], repeat: false });
  assert.equal(odd.fill(frame), true);
  assert.equal(odd.finished, false);
  assert.equal(odd.fill(frame), true);
  assert.ok(frame.subarray(80).every((v) => v === 0) && frame.subarray(0, 80).some((v) => v !== 0));
  assert.equal(odd.finished, true);
  assert.equal(odd.fill(frame), false);
  // reset() plays it again, identically.
  g.reset();
  assert.equal(g.finished, false);
  const again = render(TONE_PLANS.us.beep, 1600).out;
  const replay = new Int16Array(1600);
  for (let at = 0; at < 1600; at += 160) { const f = new Int16Array(160); assert.equal(g.fill(f), true); replay.set(f, at); }
  assert.deepEqual(replay, again);
});

test('repeating tones never finish; an empty spec is finished at once', () => {
  const { results } = render(TONE_PLANS.cn.congestion, 160 * 2000);
  assert.ok(results.every((r) => r));
  const empty = new ToneGenerator({ segments: [{ frequencies: [440], ms: 0, level: -10 }], repeat: true });
  assert.equal(empty.finished, true);
  assert.equal(empty.fill(new Int16Array(160)), false);
});

test('a long continuous tone keeps its amplitude (no oscillator drift)', () => {
  const g = new ToneGenerator(TONE_PLANS.us.dial);
  const frame = new Int16Array(8000);
  for (let s = 0; s < 600; s++) g.fill(frame); // ten minutes
  const a = dbm0ToAmplitude(-13);
  for (const f of [350, 440]) assert.ok(Math.abs(20 * Math.log10(amplitudeAt(frame, f) / a)) < 0.1, `${f} Hz`);
});
