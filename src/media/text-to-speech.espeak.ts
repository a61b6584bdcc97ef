// Text-to-speech with Debian's espeak-ng, run as a child process with the text on stdin (never
// through a shell) and WAV on stdout, resampled to 8 kHz and normalized to a steady level.
// Languages: English with `en-us`; Cantonese with `yue`, which reads Chinese characters (simplified
// or traditional) itself; Mandarin with `cmn-latn-pinyin` after the text is turned into numbered
// pinyin, because espeak-ng 1.51's `cmn` voice reads many characters as pinyin with the tone
// digit spoken in English. Digits in Chinese prompts are read one by one in the language.
import { execFile, spawn } from 'node:child_process';
import { pinyin } from 'pinyin-pro';
import { MAX_SPEECH_TEXT, type SpeechLanguage, type SpeechResult, type TextToSpeech } from './text-to-speech.ts';
import { decodeWavToMono8k } from './wav.ts';

const VOICES: Record<SpeechLanguage, string> = { en: 'en-us', cmn: 'cmn-latn-pinyin', yue: 'yue' };
const CHINESE_DIGITS = '零一二三四五六七八九';
/** Full-width punctuation to the ASCII marks espeak-ng pauses on. */
const PUNCTUATION: Record<string, string> = { '，': ', ', '。': '. ', '？': '? ', '！': '! ', '；': '; ', '：': ': ', '、': ', ' };
/** Peak level prompts are normalized to (about −3 dBFS). */
const PEAK = Math.round(32767 * 0.7);

export interface EspeakOptions {
  binary?: string;
  /** Words per minute (espeak-ng -s). */
  speed?: number;
  timeoutMs?: number;
}

export class EspeakTextToSpeech implements TextToSpeech {
  readonly name: string;
  readonly #binary: string;
  readonly #speed: number;
  readonly #timeoutMs: number;
  #available: Promise<boolean> | undefined;

  constructor(opts: EspeakOptions = {}) {
    this.#binary = opts.binary ?? 'espeak-ng';
    this.#speed = opts.speed ?? 150;
    this.#timeoutMs = opts.timeoutMs ?? 15_000;
    this.name = `espeak-ng;s=${this.#speed}`;
  }

  available(): Promise<boolean> {
    this.#available ??= new Promise((resolve) => {
      execFile(this.#binary, ['--version'], { timeout: 5000 }, (err) => resolve(!err));
    });
    return this.#available;
  }

  /** The text as espeak-ng is given it for `language` (Mandarin: numbered pinyin). */
  prepare(text: string, language: SpeechLanguage): string {
    let t = text.replace(/[\u0000-\u001f]+/g, ' ');
    if (language === 'en') return t;
    t = t.replace(/[0-9]/g, (d) => CHINESE_DIGITS[Number(d)]!).replace(/[，。？！；：、]/g, (p) => PUNCTUATION[p] ?? ' ');
    if (language === 'yue') return t;
    // Neutral tone is 0 in pinyin-pro and 5 in espeak-ng's pinyin reading.
    return pinyin(t, { toneType: 'num', type: 'string', nonZh: 'consecutive' }).replace(/([a-zü]+)0\b/g, '$15').replace(/ü/g, 'v');
  }

  /** espeak-ng's phoneme transcription (`-x`), for checking how a text will be read. */
  async phonemes(text: string, language: SpeechLanguage): Promise<string> {
    const r = await this.#run(['-q', '-x', '-v', VOICES[language], '-s', String(this.#speed)], this.prepare(text, language));
    return r.ok ? r.stdout.toString('utf8') : '';
  }

  async synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult> {
    if (!(language in VOICES)) return { ok: false, code: 'unsupported-language', message: `no voice for language ${String(language)}` };
    if (text.length > MAX_SPEECH_TEXT) return { ok: false, code: 'too-long', message: `prompt text is longer than ${MAX_SPEECH_TEXT} characters` };
    if (!(await this.available())) return { ok: false, code: 'unavailable', message: `${this.#binary} is not installed (Debian package espeak-ng)` };
    const r = await this.#run(['--stdout', '-v', VOICES[language], '-s', String(this.#speed)], this.prepare(text, language));
    if (!r.ok) return { ok: false, code: 'failed', message: r.message };
    const wav = decodeWavToMono8k(r.stdout);
    if (!wav.ok) return { ok: false, code: 'failed', message: `espeak-ng output unreadable: ${wav.error}` };
    return { ok: true, samples: normalize(wav.samples), cached: false };
  }

  #run(args: string[], stdin: string): Promise<{ ok: true; stdout: Buffer } | { ok: false; message: string }> {
    return new Promise((resolve) => {
      const child = spawn(this.#binary, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HOME: process.env['TMPDIR'] ?? '/tmp' } });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), this.#timeoutMs);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      child.on('error', (e) => { clearTimeout(timer); resolve({ ok: false, message: `espeak-ng could not run: ${e.message}` }); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve({ ok: true, stdout: Buffer.concat(out) });
        else resolve({ ok: false, message: signal ? `espeak-ng was stopped (${signal})` : `espeak-ng exited ${code}: ${err.trim().slice(0, 200)}` });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(stdin);
    });
  }
}

/** Scales speech so its peak sits at −3 dBFS: prompts from any text play at the same loudness. */
function normalize(samples: Int16Array): Int16Array {
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  if (peak === 0) return samples;
  const gain = PEAK / peak;
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.round(samples[i]! * gain);
  return out;
}
