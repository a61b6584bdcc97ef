// A cache in front of any TextToSpeech. A rendered prompt is stored as an 8 kHz mono 16-bit WAV
// named by the SHA-256 of (engine name, engine fingerprint: version and voice options, language,
// text), written to a temporary file and renamed so a reader never sees half a file. The most
// recently used prompts are also kept in memory, bounded by their total samples. Concurrent
// requests for one prompt share one rendering. Failures are never cached. Files are not expired:
// a changed engine or option gives new keys, and the directory can be emptied at any time.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SPEECH_SAMPLE_RATE, type SpeechLanguage, type SpeechResult, type TextToSpeech } from './text-to-speech.ts';
import { decodeWavToMono8k, encodeWav } from './wav.ts';

/** Part of every key: a change to the stored format makes old files unreachable. */
const FORMAT = 'switchboard-tts-cache/1';

export interface SpeechCacheOptions {
  /** Where rendered prompts are kept, e.g. `<dataDir>/cache/tts`; created when first needed. */
  directory: string;
  /** Samples kept in memory (default 8000 × 600: ten minutes of prompts, 9.6 MB). */
  memorySamples?: number;
  /** Told of disk errors; the prompt is still served (rendered afresh or kept in memory only). */
  onError?: (error: Error) => void;
}

type Rendering =
  | { ok: true; samples: Int16Array; fromCache: boolean }
  | Extract<SpeechResult, { ok: false }>;

export class CachedTextToSpeech implements TextToSpeech {
  readonly name: string;
  readonly #engine: TextToSpeech;
  readonly #dir: string;
  readonly #limit: number;
  readonly #onError: (error: Error) => void;
  /** Map iteration order is recency order: least recently used first. */
  readonly #memory = new Map<string, Int16Array>();
  #memorySize = 0;
  readonly #inFlight = new Map<string, Promise<Rendering>>();
  #fingerprint: Promise<string> | undefined;

  constructor(engine: TextToSpeech, opts: SpeechCacheOptions) {
    this.#engine = engine;
    this.name = engine.name;
    this.#dir = opts.directory;
    this.#limit = opts.memorySamples ?? SPEECH_SAMPLE_RATE * 600;
    this.#onError = opts.onError ?? (() => {});
    if (!Number.isInteger(this.#limit) || this.#limit < 0) throw new RangeError(`memorySamples ${this.#limit} is not a whole number ≥ 0`);
  }

  available(): Promise<boolean> {
    return this.#engine.available();
  }

  fingerprint(): Promise<string> {
    this.#fingerprint ??= (this.#engine.fingerprint?.() ?? Promise.resolve('')).catch(() => 'unknown');
    return this.#fingerprint;
  }

  /** Samples currently held in memory. */
  get memorySamples(): number {
    return this.#memorySize;
  }

  /** Every caller gets its own copy of the samples: none can alter what others are served. */
  async synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult> {
    const key = createHash('sha256').update(JSON.stringify([FORMAT, this.#engine.name, await this.fingerprint(), language, text])).digest('hex');
    const hot = this.#memory.get(key);
    if (hot) {
      this.#memory.delete(key);
      this.#memory.set(key, hot);
      return { ok: true, samples: hot.slice(), cached: true };
    }
    const pending = this.#inFlight.get(key);
    if (pending) {
      const r = await pending;
      return r.ok ? { ok: true, samples: r.samples.slice(), cached: true } : r;
    }
    const work = this.#render(key, text, language).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, work);
    const r = await work;
    return r.ok ? { ok: true, samples: r.samples.slice(), cached: r.fromCache } : r;
  }

  async #render(key: string, text: string, language: SpeechLanguage): Promise<Rendering> {
    const file = join(this.#dir, `${key}.wav`);
    const stored = await this.#read(file);
    if (stored) {
      this.#remember(key, stored);
      return { ok: true, samples: stored, fromCache: true };
    }
    let r: SpeechResult;
    try {
      r = await this.#engine.synthesize(text, language);
    } catch (e) {
      // The port says engines never throw; one that does is reported like any failure.
      return { ok: false, code: 'failed', message: `${this.#engine.name} threw: ${(e as Error).message}` };
    }
    if (!r.ok) return r;
    this.#remember(key, r.samples);
    await this.#write(file, r.samples);
    return { ok: true, samples: r.samples, fromCache: false };
  }

  /** The stored samples, or undefined when there is no usable file (which is then rendered over). */
  async #read(file: string): Promise<Int16Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.#onError(e as Error);
      return undefined;
    }
    const wav = decodeWavToMono8k(bytes);
    if (!wav.ok || wav.samples.length === 0) {
      this.#onError(new Error(`cached prompt ${file} is unusable (${wav.ok ? 'no audio' : wav.error}); rendering it again`));
      return undefined;
    }
    return wav.samples;
  }

  async #write(file: string, samples: Int16Array): Promise<void> {
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.#dir, { recursive: true });
      await writeFile(tmp, encodeWav(samples, SPEECH_SAMPLE_RATE, 1));
      await rename(tmp, file);
    } catch (e) {
      this.#onError(e as Error);
      await unlink(tmp).catch(() => {});
    }
  }

  #remember(key: string, samples: Int16Array): void {
    const old = this.#memory.get(key);
    if (old) {
      this.#memory.delete(key);
      this.#memorySize -= old.length;
    }
    if (samples.length > this.#limit) return;
    this.#memory.set(key, samples);
    this.#memorySize += samples.length;
    for (const [k, v] of this.#memory) {
      if (this.#memorySize <= this.#limit) break;
      this.#memory.delete(k);
      this.#memorySize -= v.length;
    }
  }
}
