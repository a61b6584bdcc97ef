import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedTextToSpeech } from './speech-cache.ts';
import type { SpeechLanguage, SpeechResult, TextToSpeech } from './text-to-speech.ts';
import { parseWav } from './wav.ts';

const SAMPLES_PER_CHAR = 400;

/**
 * A real, deterministic engine: each character becomes 50 ms of a sine tone whose pitch follows
 * the character and the language; "fail" fails. It counts its renderings, and yields to the
 * event loop before answering so that concurrent requests overlap.
 */
class ToneSpeech implements TextToSpeech {
  readonly name = 'tone-speech';
  renders = 0;
  readonly #version: string;
  constructor(version = '1') {
    this.#version = version;
  }
  async available() { return true; }
  async fingerprint() { return `tone-speech ${this.#version}`; }
  async synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult> {
    this.renders++;
    await new Promise((resolve) => setImmediate(resolve));
    if (text === 'fail') return { ok: false, code: 'failed', message: 'cannot say that' };
    const chars = [...text];
    const out = new Int16Array(chars.length * SAMPLES_PER_CHAR);
    chars.forEach((c, k) => {
      const hz = 200 + ((c.codePointAt(0)! * 7 + language.length * 31) % 1800);
      for (let i = 0; i < SAMPLES_PER_CHAR; i++) out[k * SAMPLES_PER_CHAR + i] = Math.round(12000 * Math.sin((2 * Math.PI * hz * i) / 8000));
    });
    return { ok: true, samples: out, cached: false };
  }
}

let dir = '';
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sb-tts-cache-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const files = (ext: string) => readdirSync(dir).filter((f) => f.endsWith(ext));

test('the second request is served from the cache with the same samples; the language is part of the key', async () => {
  const engine = new ToneSpeech();
  const cache = new CachedTextToSpeech(engine, { directory: dir });
  const a = await cache.synthesize('hello', 'en');
  const b = await cache.synthesize('hello', 'en');
  assert.ok(a.ok && !a.cached, 'first request renders');
  assert.ok(b.ok && b.cached, 'second request is cached');
  assert.equal(a.samples.length, 5 * SAMPLES_PER_CHAR);
  assert.deepEqual(b.samples, a.samples);
  assert.equal(engine.renders, 1);
  const other = await cache.synthesize('hello', 'cmn');
  assert.ok(other.ok && !other.cached);
  assert.notDeepEqual(other.samples, a.samples);
  assert.equal(engine.renders, 2);
});

test('rendered prompts are 8 kHz mono WAV files written whole, found again by a new instance', async () => {
  const engine = new ToneSpeech();
  const first = await new CachedTextToSpeech(engine, { directory: dir }).synthesize('欢迎致电', 'cmn');
  assert.ok(first.ok);
  assert.equal(files('.wav').length, 1);
  assert.equal(files('.tmp').length, 0);
  const wav = parseWav(readFileSync(join(dir, files('.wav')[0]!)));
  assert.ok(wav.ok && wav.wav.format === 'pcm16' && wav.wav.sampleRate === 8000 && wav.wav.channels === 1);
  assert.equal(wav.wav.data.length, first.samples.length * 2);

  const restarted = new CachedTextToSpeech(engine, { directory: dir });
  const again = await restarted.synthesize('欢迎致电', 'cmn');
  assert.ok(again.ok && again.cached);
  assert.deepEqual(again.samples, first.samples);
  assert.equal(engine.renders, 1);
});

test('a new engine version or voice setting renders afresh', async () => {
  const v1 = new ToneSpeech('1');
  const v2 = new ToneSpeech('2');
  await new CachedTextToSpeech(v1, { directory: dir }).synthesize('press one', 'en');
  const r = await new CachedTextToSpeech(v2, { directory: dir }).synthesize('press one', 'en');
  assert.ok(r.ok && !r.cached);
  assert.equal(v2.renders, 1);
  assert.equal(files('.wav').length, 2);
});

test('ten concurrent requests for one prompt share one rendering, and each gets its own copy', async () => {
  const engine = new ToneSpeech();
  const cache = new CachedTextToSpeech(engine, { directory: dir });
  const all = await Promise.all(Array.from({ length: 10 }, () => cache.synthesize('same prompt', 'en')));
  assert.equal(engine.renders, 1);
  const ok = all.filter((r) => r.ok);
  assert.equal(ok.length, 10);
  assert.equal(ok.filter((r) => !r.cached).length, 1, 'only the request that rendered is uncached');
  for (const r of ok) assert.deepEqual(r.samples, ok[0]!.samples);
  const original = ok[1]!.samples.slice();
  ok[0]!.samples.fill(0);
  assert.deepEqual(ok[1]!.samples, original);
  const later = await cache.synthesize('same prompt', 'en');
  assert.ok(later.ok && later.cached);
  assert.deepEqual(later.samples, original);
});

test('failures are passed on and never cached', async () => {
  const engine = new ToneSpeech();
  const cache = new CachedTextToSpeech(engine, { directory: dir });
  const both = await Promise.all([cache.synthesize('fail', 'en'), cache.synthesize('fail', 'en')]);
  assert.ok(both.every((r) => !r.ok && r.code === 'failed'));
  assert.equal(engine.renders, 1);
  const again = await cache.synthesize('fail', 'en');
  assert.ok(!again.ok);
  assert.equal(engine.renders, 2);
  assert.equal(readdirSync(dir).length, 0);
});

test('memory holds at most the configured samples, dropping the least recently used first', async () => {
  const engine = new ToneSpeech();
  // Room for two of the five-character prompts below.
  const cache = new CachedTextToSpeech(engine, { directory: dir, memorySamples: 2 * 5 * SAMPLES_PER_CHAR });
  await cache.synthesize('aaaaa', 'en');
  await cache.synthesize('bbbbb', 'en');
  await cache.synthesize('aaaaa', 'en'); // a is now more recent than b
  await cache.synthesize('ccccc', 'en'); // over the bound: b goes
  assert.equal(cache.memorySamples, 2 * 5 * SAMPLES_PER_CHAR);
  // With the files gone, only what is still in memory is served without rendering.
  for (const f of files('.wav')) rmSync(join(dir, f));
  const rendersBefore = engine.renders;
  const a = await cache.synthesize('aaaaa', 'en');
  const c = await cache.synthesize('ccccc', 'en');
  assert.ok(a.ok && a.cached && c.ok && c.cached);
  assert.equal(engine.renders, rendersBefore);
  const b = await cache.synthesize('bbbbb', 'en');
  assert.ok(b.ok && !b.cached, 'b was evicted and had to be rendered again');
  assert.equal(engine.renders, rendersBefore + 1);
  assert.ok(cache.memorySamples <= 2 * 5 * SAMPLES_PER_CHAR);
});

test('a prompt larger than the memory bound is served from disk without filling memory', async () => {
  const engine = new ToneSpeech();
  const cache = new CachedTextToSpeech(engine, { directory: dir, memorySamples: 1000 });
  await cache.synthesize('a long prompt', 'en');
  assert.equal(cache.memorySamples, 0);
  const again = await cache.synthesize('a long prompt', 'en');
  assert.ok(again.ok && again.cached);
  assert.equal(engine.renders, 1);
});

test('an unusable cache file is rendered over; an unwritable directory still serves the prompt', async () => {
  const engine = new ToneSpeech();
  const errors: string[] = [];
  await new CachedTextToSpeech(engine, { directory: dir }).synthesize('corrupt me', 'en');
  writeFileSync(join(dir, files('.wav')[0]!), 'not a wav');
  const fresh = new CachedTextToSpeech(engine, { directory: dir, onError: (e) => errors.push(e.message) });
  const r = await fresh.synthesize('corrupt me', 'en');
  assert.ok(r.ok && !r.cached && r.samples.length === 10 * SAMPLES_PER_CHAR);
  assert.equal(engine.renders, 2);
  assert.match(errors.join('\n'), /unusable/);
  assert.ok(parseWav(readFileSync(join(dir, files('.wav')[0]!))).ok, 'the file was replaced');

  const blocked = join(dir, 'a-file-not-a-directory');
  writeFileSync(blocked, '');
  const nowhere = new CachedTextToSpeech(engine, { directory: join(blocked, 'tts'), onError: (e) => errors.push(e.message) });
  const s = await nowhere.synthesize('still spoken', 'en');
  assert.ok(s.ok && !s.cached && s.samples.length === 12 * SAMPLES_PER_CHAR);
  assert.match(errors.at(-1) ?? '', /ENOTDIR|EEXIST/);
  const t = await nowhere.synthesize('still spoken', 'en');
  assert.ok(t.ok && t.cached, 'kept in memory');
});

test('the wrapper reports the engine it wraps', async () => {
  const cache = new CachedTextToSpeech(new ToneSpeech('7'), { directory: dir });
  assert.equal(cache.name, 'tone-speech');
  assert.equal(await cache.available(), true);
  assert.equal(await cache.fingerprint(), 'tone-speech 7');
});
