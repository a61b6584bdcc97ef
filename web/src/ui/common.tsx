// Shared building blocks of the pages: error text in the user's language, a notice line, loading.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

export function useErrorText(): (e: unknown) => string {
  const { t, i18n } = useTranslation();
  return useCallback((e: unknown) => {
    if (e instanceof ApiError) {
      const key = `errors.${e.code}`;
      return i18n.exists(key) ? t(key, { message: e.message }) : t('errors.unknown', { message: e.message });
    }
    return t('errors.unknown', { message: e instanceof Error ? e.message : String(e) });
  }, [t, i18n]);
}

export interface Notice { kind: 'ok' | 'error'; text: string }

export function NoticeLine({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  return <p className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">{notice.text}</p>;
}

/** Loads data once and on reload(); errors become a notice. */
export function useLoad<T>(load: () => Promise<T>): { data: T | undefined; error: unknown; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then((d) => { if (live) { setData(d); setError(undefined); } }, (e: unknown) => { if (live) setError(e); });
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}

export function formatTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}
