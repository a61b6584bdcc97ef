// Forms of every page: a server error placed at the field it names (`details.field`, docs/errors.md,
// e.g. `settings.offerTimeoutSeconds`), a labelled field showing it, and error texts in the user's
// language (`<scope>.errors.<code>` first, then the shared texts).
import { cloneElement, isValidElement, useCallback, useId, useMemo, useState, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { useErrorText } from './common.tsx';

/** The translation keys a page's own error codes live under (`admin.errors.…`, `reports.errors.…`). */
export type ErrorScope = 'admin' | 'reports';

/** The user's-language text of an error: `<scope>.errors.<code>` when there is one, else the shared texts. */
export function useScopedErrorText(scope: ErrorScope): (e: unknown) => string {
  const { t, i18n } = useTranslation();
  const shared = useErrorText();
  return useCallback((e: unknown) => {
    if (e instanceof ApiError && i18n.exists(`${scope}.errors.${e.code}`)) return t(`${scope}.errors.${e.code}`, { message: e.message });
    return shared(e);
  }, [t, i18n, shared, scope]);
}

export interface FormError {
  /** The form field the error belongs to, as a dotted path (undefined: the whole form). */
  field: string | undefined;
  text: string;
}

export interface FieldErrorOptions {
  scope: ErrorScope;
  /** What the server puts before a form field's own path (e.g. `settings` of `settings.offerTimeoutSeconds`). */
  prefixes?: readonly string[] | undefined;
  /** A server field to the form field that sets it (e.g. `interval` to the grain choice). */
  aliases?: Readonly<Record<string, string>> | undefined;
}

const NO_PREFIXES: readonly string[] = [];
const NO_ALIASES: Readonly<Record<string, string>> = {};

const covers = (name: string, field: string) => field === name || field.startsWith(`${name}.`);

/**
 * A form's last server error. A 400 naming a field of `fields` (or a part of one) is shown at that
 * field in the server's own words (`at(name)`); anything else (a clash with what exists, a 409, or
 * a field the form does not have) is `general`, for the whole form, translated.
 */
export function useFieldError(fields: readonly string[], options: FieldErrorOptions) {
  const errorText = useScopedErrorText(options.scope);
  const prefixes = options.prefixes ?? NO_PREFIXES;
  const aliases = options.aliases ?? NO_ALIASES;
  const [error, setError] = useState<FormError | null>(null);
  const set = useCallback((e: unknown) => {
    const invalid = e instanceof ApiError && e.status === 400 && e.field !== undefined;
    let field = invalid ? e.field : undefined;
    if (field !== undefined) {
      for (const p of prefixes) if (field.startsWith(`${p}.`)) field = field.slice(p.length + 1);
      field = aliases[field] ?? field;
    }
    setError({ field, text: invalid ? e.message : errorText(e) });
  }, [errorText, prefixes, aliases]);
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

/** A labelled control with its hint and the server's message about it; `classPrefix` names its CSS classes (`admin-field`, …). */
export function Field({ label, name, error, hint, children, className, classPrefix }: {
  label: ReactNode; name: string; error?: string | undefined; hint?: ReactNode; children: ReactNode; className?: string | undefined; classPrefix: ErrorScope;
}) {
  const id = useId();
  const control = isValidElement(children)
    ? cloneElement(children as ReactElement<Record<string, unknown>>, {
      'aria-invalid': error ? true : undefined,
      'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
    })
    : children;
  const c = classPrefix;
  return (
    <label className={`${c}-field${error ? ` ${c}-field-invalid` : ''}${className ? ` ${className}` : ''}`} data-field={name}>
      <span className={`${c}-field-label`}>{label}</span>
      {control}
      {hint && !error && <small id={`${id}-hint`} className={`${c}-hint`}>{hint}</small>}
      {error && <span id={`${id}-error`} className={`${c}-field-error`} role="alert" data-testid={`field-error-${name}`}>{error}</span>}
    </label>
  );
}
