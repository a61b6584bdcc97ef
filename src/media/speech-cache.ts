// A cache in front of any TextToSpeech: rendered prompts are kept as raw 8 kHz PCM16 files named
// by the SHA-256 of (engine, language, text), written atomically, with the most recent ones in
// memory (bounded by total samples). Concurrent requests for one prompt share one rendering.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpeechLanguage, SpeechResult, TextToSpeech } from './text-to-speech.ts';

export interface SpeechCacheOptions {
  directory: string;
  /** Samples kept in memory (default 8000 × 600: ten minutes of prompts, 9.6 MB). */
  memorySamples?: number;
}

export class CachedTextToSpeech implements TextToSpeech {
  readonly name: string;
  readonly #engine: TextToSpeech;
  readonly #dir: string;
  readonly #limit: number;
  /** Insertion order is recency order (Map iteration), oldest first. */
  readonly #memory = new Map<string, Int16Array>();
  #memorySize = 0;
  readonly #inFlight = new Map<string, Promise<SpeechResult>>();

  constructor(engine: TextToSpeech, opts: SpeechCacheOptions) {
    this.#engine = engine;
    this.name = engine.name;
    this.#dir = opts.directory;
    this.#limit = opts.memorySamples ?? 8000 * 600;
  }

  available(): Promise<boolean> {
    return this.#engine.available();
  }

  get memorySamples(): number {
    return this.#memorySize;
  }

  async synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult> {
    const key = createHash('sha256').update(JSON.stringify([this.#engine.name, language, text])).digest('hex');
    const hot = this.#memory.get(key);
    if (hot) {
      this.#memory.delete(key);
      this.#memory.set(key, hot);
      return { ok: true, samples: hot, cached: true };
    }
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const work = this.#load(key, text, language).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, work);
    return work;
  }

  async #load(key: string, text: string, language: SpeechLanguage): Promise<SpeechResult> {
    const file = join(this.#dir, `${key}.pcm`);
    try {
      const bytes = await readFile(file);
      const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.length & ~1)));
      this.#remember(key, samples);
      return { ok: true, samples, cached: true };
    } catch {
      // Not rendered yet (or unreadable): render it.
    }
    const r = await this.#engine.synthesize(text, language);
    if (!r.ok) return r;
    this.#remember(key, r.samples);
    await mkdir(this.#dir, { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, new Uint8Array(r.samples.buffer, r.samples.byteOffset, r.samples.byteLength));
    await rename(tmp, file);
    return { ok: true, samples: r.samples, cached: false };
  }

  #remember(key: string, samples: Int16Array): void {
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
