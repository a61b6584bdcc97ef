// en, zh-CN and zh-TW from one key set (test/unit/locales.test.ts keeps them identical). Each
// language is a folder of files, one per area of the app (core, desktop, admin, …); each file owns
// its top-level keys, and the files of a language are merged into one set of texts.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

type Texts = Record<string, unknown>;
const files = import.meta.glob<Texts>('./locales/*/*.json', { eager: true, import: 'default' });

function texts(lang: string): Texts {
  const merged: Texts = {};
  for (const [path, content] of Object.entries(files)) {
    if (path.startsWith(`./locales/${lang}/`)) Object.assign(merged, content);
  }
  return merged;
}

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
  { code: 'zh-TW', label: '繁體中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'sb.language';

/** Traditional script for Taiwan, Hong Kong and Macau and for zh-Hant; Simplified for other Chinese. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const t = tag.toLowerCase();
    if (t.startsWith('zh')) return /hant|-tw|-hk|-mo/.test(t) ? 'zh-TW' : 'zh-CN';
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && LANGUAGES.some((l) => l.code === saved)) return saved as Language;
  return pickLanguage(navigator.languages);
}

export function setLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18next.changeLanguage(lang);
}

i18next.on('languageChanged', (lng) => { document.documentElement.lang = lng; });

void i18next.use(initReactI18next).init({
  resources: { en: { translation: texts('en') }, 'zh-CN': { translation: texts('zh-CN') }, 'zh-TW': { translation: texts('zh-TW') } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

export default i18next;
