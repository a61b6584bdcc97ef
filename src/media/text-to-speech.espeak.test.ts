import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedTextToSpeech } from './speech-cache.ts';
import { EspeakTextToSpeech, normalizePeak } from './text-to-speech.espeak.ts';
import { MAX_SPEECH_TEXT, speechLanguageForLocale, speechTextLength, type SpeechLanguage } from './text-to-speech.ts';
import { parseWav } from './wav.ts';

const installed = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const dbfs = (x: number) => 20 * Math.log10(x / 32768);
const rmsDbfs = (s: Int16Array) => dbfs(Math.sqrt(s.reduce((e, v) => e + v * v, 0) / s.length));
const peakDbfs = (s: Int16Array) => dbfs(s.reduce((p, v) => Math.max(p, Math.abs(v)), 0));

const scratch = mkdtempSync(join(tmpdir(), 'sb-tts-espeak-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in executable: answers --version like espeak-ng, then runs `body` for a rendering. */
function fakeEngine(name: string, body: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "eSpeak NG text-to-speech: 0.0-fake  Data at: /nowhere"; exit 0; fi\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('spoken language for a UI locale', () => {
  test('mainland, Singapore and Taiwan speak Mandarin; Hong Kong and Macau speak Cantonese; the rest English', () => {
    const cases: [string, SpeechLanguage][] = [
      ['en', 'en'], ['en-GB', 'en'], ['fr-FR', 'en'],
      ['zh', 'cmn'], ['zh-CN', 'cmn'], ['zh-SG', 'cmn'], ['zh-Hans', 'cmn'], ['zh-TW', 'cmn'], ['zh-Hant', 'cmn'], ['zh-Hant-TW', 'cmn'], ['cmn-Hans-CN', 'cmn'],
      ['zh-HK', 'yue'], ['zh_hk', 'yue'], ['zh-MO', 'yue'], ['zh-Hant-HK', 'yue'], ['zh-yue', 'yue'], ['yue', 'yue'], ['yue-Hant-HK', 'yue'],
    ];
    assert.deepEqual(cases.map(([locale]) => [locale, speechLanguageForLocale(locale)]), cases);
  });

  test('text length is counted in characters, a supplementary-plane character being one', () => {
    assert.equal(speechTextLength('按1'), 2);
    assert.equal(speechTextLength('𠮷a'), 2);
  });
});

describe('espeak-ng process handling (stand-in executables)', () => {
  test('a missing engine is reported as unavailable, not thrown', async () => {
    const none = new EspeakTextToSpeech({ binary: '/nonexistent/espeak-ng' });
    assert.equal(await none.available(), false);
    const r = await none.synthesize('hello', 'en');
    assert.ok(!r.ok && r.code === 'unavailable', JSON.stringify(r));
    assert.equal(await none.phonemes('hello', 'en'), '');
  });

  test('a rendering that hangs is killed at the timeout and reported as failed', async () => {
    const tts = new EspeakTextToSpeech({ binary: fakeEngine('hangs', 'exec sleep 600'), timeoutMs: 200 });
    const r = await tts.synthesize('hello', 'en');
    assert.ok(!r.ok && r.code === 'failed', JSON.stringify(r));
    assert.match(r.message, /longer than 200 ms and was stopped/);
  });

  test('an error exit and output that is not WAV are failures with the reason', async () => {
    const exits = await new EspeakTextToSpeech({ binary: fakeEngine('exits', 'echo "voice not found" >&2; exit 3') }).synthesize('hello', 'en');
    assert.ok(!exits.ok && exits.code === 'failed');
    assert.match(exits.message, /exited 3: voice not found/);
    const garbage = await new EspeakTextToSpeech({ binary: fakeEngine('garbage', 'cat >/dev/null; echo not a wav file') }).synthesize('hello', 'en');
    assert.ok(!garbage.ok && garbage.code === 'failed');
    assert.match(garbage.message, /output unreadable/);
  });

  test('no more than maxConcurrent renderings run at once', async () => {
    const lockDir = join(scratch, 'running');
    const log = join(scratch, 'concurrency.log');
    // Each run marks itself running, logs how many are running, lingers, and leaves.
    const binary = fakeEngine('counts', `mkdir -p ${lockDir}; touch ${lockDir}/$$; ls ${lockDir} | wc -l >> ${log}; sleep 0.2; rm ${lockDir}/$$; exit 1`);
    const tts = new EspeakTextToSpeech({ binary, maxConcurrent: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => tts.synthesize(`prompt ${i}`, 'en')));
    const counts = readFileSync(log, 'utf8').trim().split('\n').map(Number);
    assert.equal(counts.length, 6);
    assert.ok(Math.max(...counts) <= 2, `running at once: ${counts.join(' ')}`);
  });

  test('unknown languages, over-long and empty texts are refused before anything runs', async () => {
    const ran = join(scratch, 'ran');
    const tts = new EspeakTextToSpeech({ binary: fakeEngine('marks', `touch ${ran}; exit 1`) });
    const fr = await tts.synthesize('bonjour', 'fr' as SpeechLanguage);
    assert.ok(!fr.ok && fr.code === 'unsupported-language');
    const long = await tts.synthesize('好'.repeat(MAX_SPEECH_TEXT + 1), 'cmn');
    assert.ok(!long.ok && long.code === 'too-long');
    for (const empty of ['', ' 。，\n']) {
      const r = await tts.synthesize(empty, 'cmn');
      assert.ok(!r.ok && r.code === 'failed' && /nothing to speak/.test(r.message));
    }
    assert.equal(existsSync(ran), false);
    // The longest accepted text does reach the engine.
    const longest = await tts.synthesize('好'.repeat(MAX_SPEECH_TEXT), 'cmn');
    assert.ok(!longest.ok && longest.code === 'failed');
    assert.equal(existsSync(ran), true);
  });

  test('bad options are programming errors', () => {
    assert.throws(() => new EspeakTextToSpeech({ speed: 10 }), RangeError);
    assert.throws(() => new EspeakTextToSpeech({ peakDbfs: 3 }), RangeError);
    assert.throws(() => new EspeakTextToSpeech({ maxConcurrent: 0 }), RangeError);
  });

  test('peak normalization scales to the requested level and leaves silence alone', () => {
    const quiet = Int16Array.from({ length: 800 }, (_, i) => Math.round(1000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    assert.ok(Math.abs(peakDbfs(normalizePeak(quiet, -3)) + 3) < 0.01);
    assert.ok(Math.abs(peakDbfs(normalizePeak(quiet, -6)) + 6) < 0.01);
    assert.deepEqual([...normalizePeak(new Int16Array(10), -3)], new Array(10).fill(0));
  });
});

describe('espeak-ng adapter', { skip: installed ? false : 'espeak-ng is not installed: apt-get install espeak-ng' }, () => {
  const tts = new EspeakTextToSpeech();
  const prompts: [SpeechLanguage, string][] = [
    ['en', 'Welcome to the contact center. Press 1 for sales.'],
    ['cmn', '欢迎致电客服中心，请按1'],
    ['yue', '歡迎致電客戶服務中心，請按1'],
  ];

  for (const [language, text] of prompts) {
    test(`${language}: 8 kHz speech as long as espeak-ng's own rendering, with speech energy, peak at −3 dBFS`, async () => {
      const r = await tts.synthesize(text, language);
      assert.ok(r.ok, r.ok ? '' : r.message);
      const seconds = r.samples.length / 8000;
      assert.ok(seconds > 1 && seconds < 10, `${seconds} s`);
      // The same input rendered by espeak-ng at its native rate lasts as long: the samples are 8 kHz.
      const native = spawnSync('espeak-ng', ['--stdout', '-b', '1', '-s', '150', '-v', { en: 'en-us', cmn: 'cmn-latn-pinyin', yue: 'yue' }[language]], { input: await tts.prepare(text, language) });
      const wav = parseWav(native.stdout);
      assert.ok(wav.ok);
      const nativeSeconds = wav.wav.data.length / 2 / wav.wav.sampleRate;
      assert.ok(Math.abs(seconds - nativeSeconds) < 0.01, `${seconds} s at 8 kHz, ${nativeSeconds} s at ${wav.wav.sampleRate} Hz`);
      assert.ok(rmsDbfs(r.samples) > -40, `RMS ${rmsDbfs(r.samples).toFixed(1)} dBFS`);
      assert.ok(Math.abs(peakDbfs(r.samples) + 3) < 0.05, `peak ${peakDbfs(r.samples).toFixed(2)} dBFS`);
    });
  }

  test('Mandarin characters are read as Mandarin syllables, one per character, with no switch to English', async () => {
    assert.equal(await tts.prepare('欢迎致电客服中心，请按1', 'cmn'), 'huan1 ying2 zhi4 dian4 ke4 fu2 zhong1 xin1 , qing3 an4 yi1');
    const phonemes = await tts.phonemes('欢迎致电客服中心，请按1', 'cmn');
    assert.ok(!phonemes.includes('(en)'), phonemes);
    assert.equal(phonemes.match(/_\|/g)?.length, 11, phonemes);
  });

  test('Mandarin in traditional characters gets the same word readings as in simplified', async () => {
    assert.equal(await tts.prepare('銀行時間，為您轉接', 'cmn'), await tts.prepare('银行时间，为您转接', 'cmn'));
    assert.equal(await tts.prepare('銀行時間', 'cmn'), 'yin2 hang2 shi2 jian1');
    assert.ok(!(await tts.phonemes('歡迎致電客戶服務中心，請按1', 'cmn')).includes('(en)'));
  });

  test('digits in Chinese prompts are read one by one in the language, full-width ones too', async () => {
    assert.equal(await tts.prepare('请拨打10086', 'cmn'), 'qing3 bo1 da3 yi1 ling2 ling2 ba1 liu4');
    assert.equal(await tts.prepare('请按１', 'cmn'), 'qing3 an4 yi1');
    assert.equal(await tts.prepare('請撥打10086', 'yue'), '請撥打一零零八六');
    const yue = await tts.phonemes('按1', 'yue');
    assert.ok(yue.includes('a1t') && !yue.includes('(en)'), yue);
  });

  test('Cantonese reads traditional and simplified characters alike, without switching to English', async () => {
    const traditional = await tts.phonemes('歡迎致電客戶服務中心，請按1', 'yue');
    const simplified = await tts.phonemes('欢迎致电客户服务中心，请按1', 'yue');
    assert.ok(!traditional.includes('(en)'), traditional);
    assert.equal(simplified, traditional);
    assert.equal(traditional.match(/_\|/g)?.length, 13, traditional);
  });

  test('hostile text is spoken as text, never run or taken as options, or refused as too long', async () => {
    const marker = join(scratch, 'pwned');
    const written = join(scratch, 'written.wav');
    const hostile = `-w ${written} --help "quoted" 'single' $(touch ${marker}) \`touch ${marker}\`; touch ${marker} && rm -rf / \n\r\u0000\u0007 [[h@'l@U]] $HOME`;
    for (const language of ['en', 'cmn', 'yue'] as const) {
      const r = await tts.synthesize(hostile, language);
      assert.ok(r.ok, r.ok ? '' : r.message);
      assert.ok(r.samples.length > 8000 * 2, `${language}: ${r.samples.length} samples`);
    }
    const long = await tts.synthesize(hostile.repeat(Math.ceil(5000 / hostile.length)), 'en');
    assert.ok(!long.ok && long.code === 'too-long');
    assert.equal(existsSync(marker), false);
    assert.equal(existsSync(written), false);
  });

  test('options change the rendering and the fingerprint: speed, peak level', async () => {
    const slow = await new EspeakTextToSpeech({ speed: 120 }).synthesize('Please hold while we connect your call.', 'en');
    const fast = await new EspeakTextToSpeech({ speed: 240 }).synthesize('Please hold while we connect your call.', 'en');
    assert.ok(slow.ok && fast.ok);
    assert.ok(fast.samples.length < slow.samples.length * 0.75, `${fast.samples.length} vs ${slow.samples.length}`);
    const soft = await new EspeakTextToSpeech({ peakDbfs: -9 }).synthesize('Please hold.', 'en');
    assert.ok(soft.ok && Math.abs(peakDbfs(soft.samples) + 9) < 0.05);
    const fingerprint = await tts.fingerprint();
    assert.match(fingerprint, /espeak-ng \d+\.\d+/);
    assert.match(fingerprint, /pinyin-pro \d+\.\d+/);
    assert.notEqual(await new EspeakTextToSpeech({ speed: 240 }).fingerprint(), fingerprint);
  });

  test('behind the cache, a Cantonese prompt is rendered once and served identically from disk', async () => {
    const directory = join(scratch, 'cache');
    const first = await new CachedTextToSpeech(new EspeakTextToSpeech(), { directory }).synthesize('請稍候，我們正為您轉接', 'yue');
    const second = await new CachedTextToSpeech(new EspeakTextToSpeech(), { directory }).synthesize('請稍候，我們正為您轉接', 'yue');
    assert.ok(first.ok && !first.cached && second.ok && second.cached);
    assert.deepEqual(second.samples, first.samples);
  });
});
