// Text-to-speech as a port: IVR prompts written as text are rendered to 8 kHz PCM by whichever
// engine is configured (espeak-ng by default), usually behind the cache in speech-cache.ts.
// Recorded prompts can always be used instead (media-engine.ts `promptFromFile`).

/**
 * Spoken languages, as ISO 639-3 codes: English, Mandarin (普通话/國語) and Cantonese (廣東話).
 * They are not the UI locales (en, zh-CN, zh-TW): the script a text is written in says nothing
 * about how it is spoken. Use `speechLanguageForLocale` to pick one from a locale.
 */
export type SpeechLanguage = 'en' | 'cmn' | 'yue';

export const SPEECH_LANGUAGES: readonly SpeechLanguage[] = ['en', 'cmn', 'yue'];

export function isSpeechLanguage(value: unknown): value is SpeechLanguage {
  return value === 'en' || value === 'cmn' || value === 'yue';
}

/**
 * The spoken language for a BCP 47 locale (`-` or `_` separated, any case):
 * - `yue*`, `zh-yue*`, and `zh`/`cmn` with region HK or MO (`zh-HK`, `zh-Hant-HK`, `zh-MO`): Cantonese;
 * - any other `zh*` or `cmn*` (`zh-CN`, `zh-SG`, `zh-Hans`, `zh-TW`, `zh-Hant`): Mandarin, which is
 *   also Taiwan's common spoken language even though its text is traditional characters;
 * - anything else (`en`, `en-GB`, and languages without a voice): English.
 */
export function speechLanguageForLocale(locale: string): SpeechLanguage {
  const [primary, ...rest] = locale.trim().toLowerCase().split(/[-_]/);
  if (primary === 'yue') return 'yue';
  if (primary !== 'zh' && primary !== 'cmn') return 'en';
  if (rest.includes('yue') || rest.includes('hk') || rest.includes('mo')) return 'yue';
  return 'cmn';
}

/** What went wrong; callers fall back to a tone or a recorded prompt in every case. */
export type SpeechErrorCode =
  /** The engine is not installed or cannot start. */
  | 'unavailable'
  /** No voice for this language. */
  | 'unsupported-language'
  /** More than `MAX_SPEECH_TEXT` characters. */
  | 'too-long'
  /** The engine ran and failed (error exit, timeout, unreadable output, nothing to speak). */
  | 'failed';

export type SpeechResult =
  /**
   * `samples`: 8 kHz mono 16-bit PCM, owned by the caller. `cached`: no rendering was done for
   * this request (served from a cache, or shared with an identical request already rendering).
   */
  | { ok: true; samples: Int16Array; cached: boolean }
  | { ok: false; code: SpeechErrorCode; message: string };

export interface TextToSpeech {
  /** Engine name, for logs and as part of a cache key. */
  readonly name: string;
  /** Whether the engine can run here (checked once; never throws). */
  available(): Promise<boolean>;
  /** Speech for `text` in `language`; never throws, whatever the text holds. */
  synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult>;
  /**
   * Everything besides the name that changes the audio rendered for one text: engine and
   * converter versions, voice options. A cache keys on it so a change renders afresh.
   */
  fingerprint?(): Promise<string>;
}

/** Longest prompt text accepted, in characters (Unicode code points). */
export const MAX_SPEECH_TEXT = 2000;

export const SPEECH_SAMPLE_RATE = 8000;

/** Characters (code points) in `text`, counted without building an array. */
export function speechTextLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}
