// Building blocks of the admin pages: error texts (admin codes first, then the shared ones), a
// form's server error placed next to the field it names, and a labelled field that shows it.
import { cloneElement, isValidElement, useCallback, useId, useMemo, useState, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { NoticeLine, useErrorText } from '../../ui/common.tsx';
import { AdminApiError } from './admin-api.ts';

/** The user's-language text of an error: `admin.errors.<code>` when there is one, else the shared texts. */
export function useAdminErrorText(): (e: unknown) => string {
  const { t, i18n } = useTranslation();
  const shared = useErrorText();
  return useCallback((e: unknown) => {
    if (e instanceof ApiError && i18n.exists(`admin.errors.${e.code}`)) return t(`admin.errors.${e.code}`, { message: e.message });
    return shared(e);
  }, [t, i18n, shared]);
}

export interface FormError {
  /** The field the server named, as a dotted path without `body.` (e.g. `settings.offerTimeoutSeconds`). */
  field: string | undefined;
  text: string;
}

/** Strips what the server puts before a field's own path: `body.` and the given prefixes. */
function normalise(field: string | undefined, prefixes: readonly string[]): string | undefined {
  if (field === undefined) return undefined;
  let f = field.replace(/^body\./, '');
  for (const p of prefixes) if (f.startsWith(`${p}.`)) f = f.slice(p.length + 1);
  return f;
}

const covers = (name: string, field: string) => field === name || field.startsWith(`${name}.`);

/**
 * A form's last server error. `at(name)` is its text when it is a validation error naming that
 * field (or a part of it);
 * `general` is its text when it names none of `fields`, to be shown above the buttons instead.
 */
export function useFormError(fields: readonly string[], prefixes: readonly string[] = []) {
  const errorText = useAdminErrorText();
  const [error, setError] = useState<FormError | null>(null);
  const set = useCallback((e: unknown) => {
    // A value that breaks a rule (400 naming a field) is shown at its field in the server's own
    // words; a clash with what exists (a name taken, 409) is shown for the whole form, translated.
    const invalid = e instanceof AdminApiError && e.status === 400 && e.field !== undefined;
    const field = invalid ? normalise(e.field, prefixes) : undefined;
    const text = invalid ? e.message : errorText(e);
    setError({ field, text });
  }, [errorText, prefixes]);
  return useMemo(() => {
    const f = error?.field;
    // The most specific form field that covers the server's field takes the message.
    const owner = f === undefined ? undefined : [...fields].sort((a, b) => b.length - a.length).find((n) => covers(n, f));
    return {
      error,
      set,
      clear: () => setError(null),
      at: (name: string): string | undefined => (error && owner === name ? error.text : undefined),
      general: error && owner === undefined ? error.text : undefined,
    };
  }, [error, set, fields]);
}

/** A labelled control with its hint and the server's message about it. */
export function Field({ label, name, error, hint, children, className }: {
  label: ReactNode; name: string; error?: string | undefined; hint?: ReactNode; children: ReactNode; className?: string;
}) {
  const id = useId();
  const control = isValidElement(children)
    ? cloneElement(children as ReactElement<Record<string, unknown>>, { 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined })
    : children;
  return (
    <label className={`admin-field${error ? ' admin-field-invalid' : ''}${className ? ` ${className}` : ''}`} data-field={name}>
      <span className="admin-field-label">{label}</span>
      {control}
      {hint && !error && <small id={`${id}-hint`} className="admin-hint">{hint}</small>}
      {error && <span id={`${id}-error`} className="admin-field-error" role="alert" data-testid={`field-error-${name}`}>{error}</span>}
    </label>
  );
}

/** A form-level message for an error that names no field of the form. */
export function FormMessage({ text }: { text: string | undefined }) {
  if (!text) return null;
  return <NoticeLine notice={{ kind: 'error', text }} />;
}

/** The number typed; an empty field is sent as null so the server names it as missing. */
export function requiredNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** "" -> null, otherwise the number typed (the server says what is wrong with it). */
export function optionalNumber(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}

export const numberText = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));
