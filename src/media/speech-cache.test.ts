import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedTextToSpeech } from './speech-cache.ts';
import type { SpeechLanguage, SpeechResult, TextToSpeech } from './text-to-speech.ts';

/** A deterministic engine: one 8 kHz sample per character, valued by the character; counts renderings. */
class CountingSpeech implements TextToSpeech {
  readonly name = 'counting-1';
  renders = 0;
  async available() { return true; }
  async synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult> {
    this.renders++;
    await new Promise((r) => setTimeout(r, 20));
    if (text === 'fail') return { ok: false, code: 'failed', message: 'cannot' };
    return { ok: true, samples: Int16Array.from([...`${language}:${text}`].map((c) => c.charCodeAt(0))), cached: false };
  }
}

test('the second request is served from the cache with the same samples; a new instance finds it on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tts-cache-'));
  try {
    const engine = new CountingSpeech();
    const cache = new CachedTextToSpeech(engine, { directory: dir });
    const a = await cache.synthesize('hello', 'en');
    const b = await cache.synthesize('hello', 'en');
    assert.ok(a.ok && !a.cached && b.ok && b.cached);
    assert.deepEqual([...b.samples], [...a.samples]);
    assert.equal(engine.renders, 1);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.pcm')).length, 1);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
    const other = await cache.synthesize('hello', 'cmn');
    assert.ok(other.ok && !other.cached, 'the language is part of the key');

    const fresh = new CachedTextToSpeech(engine, { directory: dir });
    const c = await fresh.synthesize('hello', 'en');
    assert.ok(c.ok && c.cached);
    assert.deepEqual([...c.samples], [...a.samples]);
    assert.equal(engine.renders, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ten concurrent requests for one prompt render it once; failures are not cached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tts-cache-'));
  try {
    const engine = new CountingSpeech();
    const cache = new CachedTextToSpeech(engine, { directory: dir });
    const all = await Promise.all(Array.from({ length: 10 }, () => cache.synthesize('same prompt', 'en')));
    assert.equal(engine.renders, 1);
    assert.ok(all.every((r) => r.ok));
    assert.ok(!(await cache.synthesize('fail', 'en')).ok);
    assert.ok(!(await cache.synthesize('fail', 'en')).ok);
    assert.equal(engine.renders, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('memory holds at most the configured number of samples, evicting the least recently used', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tts-cache-'));
  try {
    const cache = new CachedTextToSpeech(new CountingSpeech(), { directory: dir, memorySamples: 30 });
    for (const t of ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc', 'dddddddddd']) await cache.synthesize(t, 'en');
    assert.ok(cache.memorySamples <= 30, `${cache.memorySamples} samples in memory`);
    assert.ok(cache.memorySamples > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
