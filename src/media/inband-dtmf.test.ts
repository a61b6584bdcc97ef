import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { alawToPcm, pcmToAlaw, pcmToUlaw, ulawToPcm } from './g711.ts';
import { dtmfTone, InbandDtmfDetector } from './inband-dtmf.ts';
import { dbm0ToAmplitude, TONE_PLANS, ToneGenerator } from './tones.ts';
import { decodeWavToMono8k } from './wav.ts';

const RATE = 8000;
const DIGITS = '123A456B789C*0#D';
const ROW: Record<string, number> = {};
const COL: Record<string, number> = {};
['123A', '456B', '789C', '*0#D'].forEach((keys, r) => [...keys].forEach((k, c) => {
  ROW[k] = [697, 770, 852, 941][r]!;
  COL[k] = [1209, 1336, 1477, 1633][c]!;
}));

const silence = (ms: number): Int16Array => new Int16Array(Math.round(ms * 8));

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function detect(x: Int16Array, chunk = 160): string {
  const d = new InbandDtmfDetector();
  let out = '';
  for (let at = 0; at < x.length; at += chunk) out += d.push(x.subarray(at, at + chunk)).join('');
  return out;
}

/** Two sines at chosen frequencies and levels (for twist and frequency-offset tests). */
function pair(f1: number, l1: number, f2: number, l2: number, ms: number): Int16Array {
  const a1 = dbm0ToAmplitude(l1);
  const a2 = dbm0ToAmplitude(l2);
  return Int16Array.from({ length: Math.round(ms * 8) }, (_, i) =>
    Math.round(a1 * Math.sin((2 * Math.PI * f1 * i) / RATE) + a2 * Math.sin((2 * Math.PI * f2 * i) / RATE)));
}

/** Deterministic uniform noise in [−1, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  };
}

/** Gaussian-ish white noise (sum of 4 uniforms) at an RMS level in dBm0. */
function noise(ms: number, dbm0: number, seed = 1): Int16Array {
  const r = rng(seed);
  const rms = dbm0ToAmplitude(dbm0) / Math.SQRT2; // a sine's RMS at that level
  const k = rms / Math.sqrt(4 / 3); // four uniforms in [−1, 1): variance 4/3
  return Int16Array.from({ length: Math.round(ms * 8) }, () => Math.max(-32768, Math.min(32767, Math.round(k * (r() + r() + r() + r())))));
}

test('dtmfTone: Q.23 frequencies at the level asked, and only digits are accepted', () => {
  const x = dtmfTone('8', 100, -10);
  assert.equal(x.length, 800);
  const amp = (f: number): number => {
    const c = 2 * Math.cos((2 * Math.PI * f) / RATE);
    let s1 = 0;
    let s2 = 0;
    for (const v of x) { const s = v + c * s1 - s2; s2 = s1; s1 = s; }
    return (2 * Math.sqrt(s1 * s1 + s2 * s2 - c * s1 * s2)) / x.length;
  };
  const a = dbm0ToAmplitude(-10);
  assert.ok(Math.abs(amp(852) / a - 1) < 0.05 && Math.abs(amp(1336) / a - 1) < 0.05);
  assert.ok(amp(697) < a * 0.1 && amp(1209) < a * 0.1);
  assert.deepEqual(dtmfTone('a', 10), dtmfTone('A', 10));
  for (const bad of ['', 'E', '11', 'x', ' ']) assert.throws(() => dtmfTone(bad, 50), RangeError);
});

test('all 16 digits from −3 to −25 dBm0 are each detected exactly once', () => {
  for (const level of [-3, -7, -12, -18, -22, -25]) {
    const parts: Int16Array[] = [];
    for (const d of DIGITS) parts.push(dtmfTone(d, 80, level), silence(80));
    assert.equal(detect(concat(...parts)), DIGITS, `at ${level} dBm0`);
  }
});

test('60 ms tones with 60 ms pauses give exactly the keyed string', () => {
  const keyed = '1234567890*#'.repeat(3);
  const x = concat(...[...keyed].flatMap((d) => [dtmfTone(d, 60), silence(60)]));
  assert.equal(detect(x), keyed);
  assert.equal(detect(x, x.length), keyed);
});

test('a key held for 2 s is one digit', () => {
  assert.equal(detect(concat(silence(100), dtmfTone('5', 2000), silence(100))), '5');
  assert.equal(detect(concat(dtmfTone('#', 2000, -20), silence(40), dtmfTone('#', 2000, -20))), '##');
});

test('Q.24 timing at every block alignment: ≥ 40 ms tones and pauses count, short ones do not', () => {
  for (let offset = 0; offset < 102; offset++) {
    const lead = silence(offset / 8);
    assert.equal(detect(concat(lead, dtmfTone('7', 40), silence(100))), '7', `40 ms tone at offset ${offset}`);
    assert.equal(detect(concat(lead, dtmfTone('7', 16), silence(100))), '', `16 ms tone at offset ${offset}`);
    assert.equal(detect(concat(lead, dtmfTone('3', 100), silence(40), dtmfTone('3', 100), silence(100))), '33', `40 ms pause at offset ${offset}`);
    assert.equal(detect(concat(lead, dtmfTone('3', 100), silence(10), dtmfTone('3', 100), silence(100))), '3', `10 ms break at offset ${offset}`);
  }
  // A new key straight after another, with no pause, is still reported.
  assert.equal(detect(concat(dtmfTone('1', 100), dtmfTone('2', 100), silence(50))), '12');
});

test('twist: forward up to 8 dB and reverse up to 4 dB are accepted, more is not', () => {
  const press = (lowDb: number, highDb: number): string => detect(concat(pair(770, lowDb, 1477, highDb, 100), silence(60)));
  assert.equal(press(-12, -5), '6'); // high group 7 dB above the low group (forward twist)
  assert.equal(press(-8, -11), '6'); // low group 3 dB above the high group (reverse twist)
  assert.equal(press(-16, -5), ''); // 11 dB forward
  assert.equal(press(-6, -12), ''); // 6 dB reverse
});

test('frequencies off by ±1.5 % (Q.24 operate range) are accepted', () => {
  for (const k of [0.985, 1.015]) {
    assert.equal(detect(concat(pair(941 * k, -10, 1633 * k, -10, 80), silence(60), pair(697 * k, -10, 1209 * k, -10, 80), silence(60))), 'D1', `×${k}`);
  }
});

test('digits survive white noise 20 dB below them', () => {
  const keyed = '159D';
  const tones = concat(...[...keyed].flatMap((d) => [dtmfTone(d, 80, -10), silence(80)]));
  const n = noise(tones.length / 8, -30, 7);
  const mixed = tones.map((v, i) => Math.max(-32768, Math.min(32767, v + n[i]!)));
  assert.equal(detect(mixed), keyed);
});

test('no digits from noise, a 1 kHz tone or call-progress tones', () => {
  for (const level of [-30, -20, -10]) assert.equal(detect(noise(10_000, level, level)), '', `noise at ${level} dBm0`);
  assert.equal(detect(pair(1000, -5, 1000, -100, 5000)), '');
  for (const spec of [TONE_PLANS.us.dial, TONE_PLANS.us.ringback, TONE_PLANS.us.busy, TONE_PLANS.cn.ringback]) {
    const g = new ToneGenerator(spec);
    const x = new Int16Array(8 * 8000);
    g.fill(x);
    assert.equal(detect(x), '');
  }
});

/**
 * Source-filter speech (the Klatt cascade model): glottal harmonics falling 6 dB per octave, of
 * a pitch gliding 90–260 Hz with 5.5 Hz vibrato, through three formant resonators (bandwidths
 * 80, 100 and 140 Hz) sweeping across the DTMF bands, in 4 Hz syllables, peak-normalised.
 */
function speechLike(seconds: number, peakTo: number): Int16Array {
  const n = seconds * RATE;
  const raw = new Float64Array(n);
  const r = rng(42);
  const resonator = (f: number, F: number, B: number): number => (F * F) / Math.sqrt((F * F - f * f) ** 2 + (f * B) ** 2);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const f0 = 175 + 85 * Math.sin(2 * Math.PI * 0.13 * t) + 6 * Math.sin(2 * Math.PI * 5.5 * t);
    phase += (2 * Math.PI * f0) / RATE;
    const f1 = 550 + 250 * Math.sin(2 * Math.PI * 0.7 * t);
    const f2 = 1550 + 650 * Math.sin(2 * Math.PI * 0.31 * t + 1);
    const f3 = 2700 + 200 * Math.sin(2 * Math.PI * 0.23 * t);
    let v = 0;
    for (let h = 1; h * f0 < 3800; h++) {
      const f = h * f0;
      v += (resonator(f, f1, 80) * resonator(f, f2, 100) * resonator(f, f3, 140) / h) * Math.sin(h * phase);
    }
    raw[i] = Math.max(0, Math.sin(2 * Math.PI * 4 * t)) ** 0.5 * v + 0.02 * r();
  }
  const peak = raw.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return Int16Array.from(raw, (v) => Math.round((v * peakTo) / peak));
}

test('no digits from a speech-like signal (voiced harmonics, vibrato, moving formants)', () => {
  for (const peak of [4000, 12000, 30000]) assert.equal(detect(speechLike(30, peak)), '', `peak ${peak}`);
});

test('two steady harmonics of one voice that land on a row and a column are a dual tone, and count', () => {
  // Harmonics 3 and 7 of 230 Hz are 690 and 1610 Hz, 1.0 % and 1.4 % below 697 and 1633 Hz: a
  // signal made of just those is a DTMF "A" within Q.24's tolerance. Speech only escapes this
  // because its energy is spread over many harmonics (a voice whose formants were narrow enough
  // to leave two would be keyed like this).
  assert.equal(detect(concat(pair(690, -12, 1610, -14, 60), silence(60))), 'A');
});

const espeak = '/usr/bin/espeak-ng';
test('no digits from espeak-ng speech, even when it says digits', { skip: !existsSync(espeak) && 'espeak-ng not found (apt-get install espeak-ng)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-dtmf-'));
  try {
    const wav = join(dir, 'speech.wav');
    for (const voice of ['en', 'cmn']) {
      const text = voice === 'en'
        ? 'Thank you for calling. One two three four five six seven eight nine zero. Please hold the line while we connect your call. Press star to return to the main menu, or hash to repeat.'
        : '感谢您的来电。一二三四五六七八九零。请稍候，我们正在为您转接。';
      const r = spawnSync(espeak, ['-v', voice, '-w', wav, text], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const decoded = decodeWavToMono8k(new Uint8Array(readFileSync(wav)));
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
      assert.ok(decoded.samples.length > 4 * RATE, 'a few seconds of speech');
      assert.equal(detect(decoded.samples), '', voice);
      // Louder, as a hot microphone would be.
      assert.equal(detect(decoded.samples.map((v) => Math.max(-32768, Math.min(32767, v * 3)))), '', `${voice} ×3`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('digits survive a G.711 µ-law and A-law round trip', () => {
  for (const level of [-3, -25]) {
    const x = concat(...[...DIGITS].flatMap((d) => [dtmfTone(d, 60, level), silence(60)]));
    const codes = new Uint8Array(x.length);
    const back = new Int16Array(x.length);
    pcmToUlaw(x, codes);
    ulawToPcm(codes, back);
    assert.equal(detect(back), DIGITS, `µ-law at ${level} dBm0`);
    pcmToAlaw(x, codes);
    alawToPcm(codes, back);
    assert.equal(detect(back), DIGITS, `A-law at ${level} dBm0`);
  }
});

test('reset() forgets a held digit and a partial block', () => {
  const d = new InbandDtmfDetector();
  assert.deepEqual(d.push(dtmfTone('9', 100)), ['9']);
  d.reset();
  assert.deepEqual(d.push(dtmfTone('9', 100)), ['9']);
  assert.deepEqual(d.push(silence(100)), []);
});

test('property: any split of the stream into push() calls gives the keyed digits', () => {
  fc.assert(fc.property(
    fc.array(fc.record({
      digit: fc.constantFrom(...DIGITS),
      on: fc.integer({ min: 45, max: 150 }),
      off: fc.integer({ min: 45, max: 150 }),
      level: fc.integer({ min: -25, max: -3 }),
    }), { minLength: 1, maxLength: 8 }),
    fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }),
    (keys, cuts) => {
      const x = concat(...keys.flatMap((k) => [dtmfTone(k.digit, k.on, k.level), silence(k.off)]));
      const expected = keys.map((k) => k.digit).join('');
      const d = new InbandDtmfDetector();
      let got = '';
      let at = 0;
      for (let i = 0; at < x.length; i++) {
        const n = cuts[i % cuts.length]!;
        got += d.push(x.subarray(at, at + n)).join('');
        at += n;
      }
      assert.equal(got, expected);
      assert.equal(detect(x, x.length), expected);
    },
  ), { numRuns: 150 });
});
