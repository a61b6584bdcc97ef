// Text-to-speech with Debian's espeak-ng (1.51), run as a child process: arguments as an array
// (never a shell), the text on stdin (so a text starting with '-' is not an option), WAV on
// stdout, decoded and resampled to 8 kHz by wav.ts, then scaled to a steady peak level.
//
// How each language is read (measured with `espeak-ng -q -x`):
// - en: voice `en-us`, text as written.
// - cmn: voice `cmn-latn-pinyin` given numbered pinyin. espeak-ng 1.51's `cmn` voice reads many
//   characters as pinyin with the tone digit spoken in English ("(en)" switches, espeak-ng issue
//   #1236). Characters become pinyin with pinyin-pro, whose word list picks the reading of
//   polyphones (银行 yin2 hang2, 重新 chong2 xin1, 一下 yi2 xia4). That word list is simplified
//   Chinese, so traditional text (Taiwan prompts) first goes through OpenCC's Taiwan-to-mainland
//   character table (opencc-js); without it 銀行 reads yin2 xing2 and 時間 shi2 jian4. Latin words
//   stay as written: espeak-ng reads those that look like pinyin as pinyin, others as English.
// - yue: voice `yue` given the characters. Its dictionary reads simplified and traditional alike
//   (歡迎/欢迎 fun1 jing4) and covers every character of our zh-CN and zh-TW UI texts without an
//   English switch. Limits: readings are mostly per character, so some polyphones come out in a
//   literary or wrong tone (時間 si4 gaan3 for si4 gaan1, 的 dik1 rather than spoken 嘅 ge3);
//   Latin words are read as English. A Jyutping library (to-jyutping) gave the same readings on
//   our texts, so it is not used.
// - Digits in Chinese prompts are read one by one in the prompt's language (按1 an4 yi1, 10086
//   yi1 ling2 ling2 ba1 liu4), as keys, phone and account numbers are; write quantities in
//   characters (十五分钟).
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isSpeechLanguage, MAX_SPEECH_TEXT, speechTextLength,
  type SpeechLanguage, type SpeechResult, type TextToSpeech,
} from './text-to-speech.ts';
import { decodeWavToMono8k } from './wav.ts';

const VOICES = { en: 'en-us', cmn: 'cmn-latn-pinyin', yue: 'yue' } as const satisfies Record<SpeechLanguage, string>;
const CHINESE_DIGITS = '零一二三四五六七八九';
/** Bumped when `prepare` changes what espeak-ng is given, so cached renderings are redone. */
const PREPARE_REVISION = 2;
/** More WAV than a 2,000-character prompt can produce: a runaway process is stopped. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface EspeakOptions {
  /** The espeak-ng executable (default `espeak-ng` on PATH). */
  binary?: string;
  /** Words per minute, espeak-ng `-s` (80–450; default 150). */
  speed?: number;
  /** Peak level of every prompt in dBFS (−20…0; default −3); `null` keeps espeak-ng's own level. */
  peakDbfs?: number | null;
  /** A rendering still running after this is killed and reported as `failed` (default 15 s). */
  timeoutMs?: number;
  /** espeak-ng processes run at once; further requests wait their turn (default 2). */
  maxConcurrent?: number;
}

type RunResult = { ok: true; stdout: Buffer } | { ok: false; message: string };

export class EspeakTextToSpeech implements TextToSpeech {
  readonly name = 'espeak-ng';
  readonly #binary: string;
  readonly #speed: number;
  readonly #peakDbfs: number | null;
  readonly #timeoutMs: number;
  readonly #maxConcurrent: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  #version: Promise<string | undefined> | undefined;
  #fingerprint: Promise<string> | undefined;

  constructor(opts: EspeakOptions = {}) {
    this.#binary = opts.binary ?? 'espeak-ng';
    this.#speed = opts.speed ?? 150;
    this.#peakDbfs = opts.peakDbfs === undefined ? -3 : opts.peakDbfs;
    this.#timeoutMs = opts.timeoutMs ?? 15_000;
    this.#maxConcurrent = opts.maxConcurrent ?? 2;
    if (!Number.isInteger(this.#speed) || this.#speed < 80 || this.#speed > 450) throw new RangeError(`speed ${this.#speed} is outside 80–450 words per minute`);
    if (this.#peakDbfs !== null && !(this.#peakDbfs >= -20 && this.#peakDbfs <= 0)) throw new RangeError(`peak ${this.#peakDbfs} dBFS is outside −20…0`);
    if (!(this.#timeoutMs > 0)) throw new RangeError(`timeout ${this.#timeoutMs} ms is not positive`);
    if (!Number.isInteger(this.#maxConcurrent) || this.#maxConcurrent < 1) throw new RangeError(`maxConcurrent ${this.#maxConcurrent} is not a positive integer`);
  }

  /** Runs `espeak-ng --version` once; false when it cannot be started or fails. */
  async available(): Promise<boolean> {
    return (await this.#engineVersion()) !== undefined;
  }

  async fingerprint(): Promise<string> {
    this.#fingerprint ??= (async () => {
      const [engine, pinyinPro, opencc] = await Promise.all([this.#engineVersion(), packageVersion('pinyin-pro'), packageVersion('opencc-js')]);
      return [
        `espeak-ng ${engine ?? 'missing'}`, `voices ${Object.values(VOICES).join(',')}`, `speed ${this.#speed}`,
        `peak ${this.#peakDbfs ?? 'off'}`, `pinyin-pro ${pinyinPro}`, `opencc-js ${opencc}`, `prepare ${PREPARE_REVISION}`,
      ].join('; ');
    })();
    return this.#fingerprint;
  }

  /** The text as espeak-ng is given it for `language` (for Mandarin, numbered pinyin). */
  async prepare(text: string, language: SpeechLanguage): Promise<string> {
    // NFKC turns full-width digits, letters and punctuation (１，Ａ) into ASCII. Control and
    // line-separator characters become spaces; "[[" would start espeak-ng's phoneme input.
    let t = text.normalize('NFKC').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\[\[/g, '[ [');
    if (language !== 'en') {
      t = t.replace(/[0-9]/g, (d) => CHINESE_DIGITS[Number(d)]!).replace(/。/g, '. ').replace(/、/g, ', ');
      if (language === 'cmn') t = (await mandarinReader())(t);
    }
    return t.replace(/\s+/g, ' ').trim();
  }

  /** espeak-ng's phoneme transcription (`-x`) of what `synthesize` would say; '' if it cannot run. */
  async phonemes(text: string, language: SpeechLanguage): Promise<string> {
    if (!isSpeechLanguage(language) || speechTextLength(text) > MAX_SPEECH_TEXT) return '';
    let prepared: string;
    try {
      prepared = await this.prepare(text, language);
    } catch {
      return '';
    }
    const r = await this.#run(['-q', '-x', ...this.#voiceArgs(language)], prepared);
    return r.ok ? r.stdout.toString('utf8').trim() : '';
  }

  async synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult> {
    if (!isSpeechLanguage(language)) return { ok: false, code: 'unsupported-language', message: `no voice for language "${String(language).slice(0, 20)}"` };
    if (typeof text !== 'string') return { ok: false, code: 'failed', message: 'prompt text is not a string' };
    if (text.length > 2 * MAX_SPEECH_TEXT || speechTextLength(text) > MAX_SPEECH_TEXT) {
      return { ok: false, code: 'too-long', message: `prompt text is longer than ${MAX_SPEECH_TEXT} characters` };
    }
    if (!(await this.available())) return { ok: false, code: 'unavailable', message: `${this.#binary} cannot be run (Debian package espeak-ng)` };
    let prepared: string;
    try {
      prepared = await this.prepare(text, language);
    } catch (e) {
      return { ok: false, code: 'failed', message: `text could not be prepared for ${language}: ${(e as Error).message}` };
    }
    if (!/[\p{L}\p{N}]/u.test(prepared)) return { ok: false, code: 'failed', message: 'prompt text has nothing to speak' };
    const r = await this.#run(['--stdout', ...this.#voiceArgs(language)], prepared);
    if (!r.ok) return { ok: false, code: 'failed', message: r.message };
    const wav = decodeWavToMono8k(r.stdout);
    if (!wav.ok) return { ok: false, code: 'failed', message: `espeak-ng output unreadable: ${wav.error}` };
    if (wav.samples.length === 0) return { ok: false, code: 'failed', message: 'espeak-ng produced no audio' };
    return { ok: true, samples: this.#peakDbfs === null ? wav.samples : normalizePeak(wav.samples, this.#peakDbfs), cached: false };
  }

  #voiceArgs(language: SpeechLanguage): string[] {
    // -b 1: the text on stdin is UTF-8.
    return ['-b', '1', '-v', VOICES[language], '-s', String(this.#speed)];
  }

  #engineVersion(): Promise<string | undefined> {
    this.#version ??= new Promise((resolve) => {
      execFile(this.#binary, ['--version'], { timeout: this.#timeoutMs, env: this.#env() }, (err, stdout) => {
        // "eSpeak NG text-to-speech: 1.51  Data at: …"
        resolve(err ? undefined : /text-to-speech:\s*(\S+)/.exec(String(stdout))?.[1] ?? 'unknown');
      });
    });
    return this.#version;
  }

  /** espeak-ng (libpulse) touches ~/.config/pulse even when writing to stdout: keep it out of HOME. */
  #env(): NodeJS.ProcessEnv {
    return { ...process.env, HOME: tmpdir() };
  }

  async #run(args: string[], stdin: string): Promise<RunResult> {
    await this.#acquire();
    try {
      return await this.#spawn(args, stdin);
    } finally {
      this.#release();
    }
  }

  #spawn(args: string[], stdin: string): Promise<RunResult> {
    return new Promise((resolve) => {
      const child = spawn(this.#binary, args, { stdio: ['pipe', 'pipe', 'pipe'], env: this.#env() });
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let stopped: string | undefined;
      const stop = (why: string): void => {
        stopped ??= why;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => stop(`took longer than ${this.#timeoutMs} ms`), this.#timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        outBytes += d.length;
        if (outBytes > MAX_OUTPUT_BYTES) stop(`wrote more than ${MAX_OUTPUT_BYTES} bytes`);
        else out.push(d);
      });
      child.stderr.on('data', (d: Buffer) => { if (err.length < 1000) err += d.toString(); });
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ ok: false, message: `espeak-ng could not run: ${e.message}` });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (stopped) resolve({ ok: false, message: `espeak-ng ${stopped} and was stopped` });
        else if (code === 0) resolve({ ok: true, stdout: Buffer.concat(out) });
        else resolve({ ok: false, message: signal ? `espeak-ng ended on ${signal}` : `espeak-ng exited ${code}: ${err.trim().slice(0, 200)}` });
      });
      // A process that exits without reading its input makes the write fail: not an error here.
      child.stdin.on('error', () => {});
      child.stdin.end(stdin, 'utf8');
    });
  }

  #acquire(): Promise<void> {
    if (this.#running < this.#maxConcurrent) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    // The slot passes straight to the next waiter, so the count stays the same.
    if (next) next();
    else this.#running--;
  }
}

let mandarin: Promise<(text: string) => string> | undefined;

/** Chinese characters (simplified or traditional) to numbered pinyin; loaded on first use. */
function mandarinReader(): Promise<(text: string) => string> {
  if (!mandarin) {
    mandarin = (async () => {
      const [{ pinyin }, { Converter }] = await Promise.all([import('pinyin-pro'), import('opencc-js/t2cn')]);
      const toMainland = Converter({ from: 'tw', to: 'cn' });
      // Neutral tone comes out as 0 (men0) and ü as ü; espeak-ng reads both.
      return (text: string) => pinyin(toMainland(text), { toneType: 'num', type: 'string', nonZh: 'consecutive' });
    })();
    // A failed load is tried again on the next prompt.
    mandarin.catch(() => { mandarin = undefined; });
  }
  return mandarin;
}

/** The version in an installed package's package.json, found from its entry point. */
async function packageVersion(name: string): Promise<string> {
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve(name)));
    for (let up = 0; up < 5; up++, dir = dirname(dir)) {
      const pkg = await readFile(join(dir, 'package.json'), 'utf8').then((s) => JSON.parse(s) as { name?: unknown; version?: unknown }, () => undefined);
      if (pkg?.name === name) return String(pkg.version);
    }
  } catch {
    // Not installed: the fingerprint says so.
  }
  return 'missing';
}

/** Scales so the highest sample sits at `peakDbfs`: prompts from any text play equally loud. */
export function normalizePeak(samples: Int16Array, peakDbfs: number): Int16Array {
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  if (peak === 0) return samples;
  const gain = (32767 * 10 ** (peakDbfs / 20)) / peak;
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * gain)));
  return out;
}
