// Text-to-speech as a port: IVR prompts written as text are rendered to 8 kHz PCM by whichever
// engine is configured (espeak-ng by default), and cached. Recorded prompts can always be used
// instead (media-engine.ts `promptFromFile`).

/** Spoken languages: English, Mandarin (普通话) and Cantonese (廣東話). */
export type SpeechLanguage = 'en' | 'cmn' | 'yue';

export const SPEECH_LANGUAGES: readonly SpeechLanguage[] = ['en', 'cmn', 'yue'];

/**
 * The spoken language for a UI locale: zh-CN/zh-SG/zh-Hans and zh-TW/zh-Hant speak Mandarin
 * (Taiwan's common language is Mandarin); zh-HK and zh-MO speak Cantonese; anything else English.
 */
export function speechLanguageForLocale(locale: string): SpeechLanguage {
  const l = locale.toLowerCase();
  if (l === 'yue' || l.startsWith('zh-hk') || l.startsWith('zh-mo') || l.startsWith('yue-')) return 'yue';
  if (l === 'zh' || l === 'cmn' || l.startsWith('zh-')) return 'cmn';
  return 'en';
}

export type SpeechResult =
  | { ok: true; samples: Int16Array; cached: boolean }
  | { ok: false; code: 'unavailable' | 'unsupported-language' | 'too-long' | 'failed'; message: string };

export interface TextToSpeech {
  /** Engine name and version; part of the cache key, so a new engine renders afresh. */
  readonly name: string;
  available(): Promise<boolean>;
  /** 8 kHz mono 16-bit speech for `text`; never throws for bad input. */
  synthesize(text: string, language: SpeechLanguage): Promise<SpeechResult>;
}

/** Longest prompt text accepted (characters). */
export const MAX_SPEECH_TEXT = 2000;
