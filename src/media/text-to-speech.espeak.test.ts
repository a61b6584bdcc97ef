import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EspeakTextToSpeech } from './text-to-speech.espeak.ts';
import { speechLanguageForLocale } from './text-to-speech.ts';

const installed = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
const rmsDb = (x: Int16Array) => 10 * Math.log10(x.reduce((e, v) => e + v * v, 0) / x.length / 32768 ** 2);

test('locales map to spoken languages: Mandarin for mainland and Taiwan, Cantonese for Hong Kong and Macau', () => {
  assert.deepEqual(['en', 'en-GB', 'zh-CN', 'zh-TW', 'zh-Hant', 'zh-HK', 'zh-MO', 'yue'].map(speechLanguageForLocale), ['en', 'en', 'cmn', 'cmn', 'cmn', 'yue', 'yue', 'yue']);
});

describe('espeak-ng adapter', { skip: installed ? false : 'espeak-ng is not installed: apt-get install espeak-ng' }, () => {
  const tts = new EspeakTextToSpeech();

  for (const [language, text] of [['en', 'Welcome to the contact center. Press 1 for sales.'], ['cmn', '欢迎致电客服中心，请按1。'], ['yue', '歡迎致電客戶服務中心，請按1。']] as const) {
    test(`${language}: 8 kHz speech of plausible length and level`, async () => {
      const r = await tts.synthesize(text, language);
      assert.ok(r.ok, r.ok ? '' : r.message);
      const seconds = r.samples.length / 8000;
      assert.ok(seconds > 1 && seconds < 10, `${seconds} s`);
      assert.ok(rmsDb(r.samples) > -40, `level ${rmsDb(r.samples).toFixed(1)} dBFS`);
    });
  }

  test('Mandarin characters are read as Mandarin (no switch to English), digits included', async () => {
    assert.equal(tts.prepare('请按1', 'cmn'), 'qing3 an4 yi1');
    const phonemes = await tts.phonemes('欢迎致电客服中心，请按1。', 'cmn');
    assert.ok(phonemes.length > 20);
    assert.ok(!phonemes.includes('(en)'), phonemes);
    assert.ok(!(await tts.phonemes('歡迎致電客戶服務中心，請按1。', 'yue')).includes('(en)'));
  });

  test('hostile text is spoken as text, never run: leading dashes, quotes, shell syntax, control characters', async () => {
    const r = await tts.synthesize('--help "$(touch /tmp/sb-tts-pwned)" `id`; rm -rf / \n\u0007 -v xx', 'en');
    assert.ok(r.ok);
    assert.ok(r.samples.length > 8000);
    assert.equal(spawnSync('test', ['-e', '/tmp/sb-tts-pwned']).status, 1);
    const long = await tts.synthesize('x'.repeat(5000), 'en');
    assert.ok(!long.ok && long.code === 'too-long');
  });

  test('a missing engine is reported as unavailable, not thrown', async () => {
    const none = new EspeakTextToSpeech({ binary: '/nonexistent/espeak-ng' });
    assert.equal(await none.available(), false);
    const r = await none.synthesize('hello', 'en');
    assert.ok(!r.ok && r.code === 'unavailable');
  });
});
