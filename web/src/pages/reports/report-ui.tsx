// Building blocks of the reports and staffing pages: a form's server error placed at the field it
// names (`details.field`, e.g. `to` or `serviceLevel.percent`), a labelled field showing it, and
// the error texts in the user's language (reports.errors.<code> first, then the shared texts).
import { cloneElement, isValidElement, useCallback, useId, useMemo, useState, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { useErrorText } from '../../ui/common.tsx';

export function useReportsErrorText(): (e: unknown) => string {
  const { t, i18n } = useTranslation();
  const shared = useErrorText();
  return useCallback((e: unknown) => {
    if (e instanceof ApiError && i18n.exists(`reports.errors.${e.code}`)) return t(`reports.errors.${e.code}`, { message: e.message });
    return shared(e);
  }, [t, i18n, shared]);
}

const covers = (name: string, field: string) => field === name || field.startsWith(`${name}.`);

/**
 * A form's last error. A 400 naming a field of `fields` (or a part of one) is shown at that field
 * in the server's words; anything else is `general`, for the whole form. `aliases` maps a server
 * field to the form field that sets it (e.g. `interval` to the grain choice).
 */
export function useFieldError(fields: readonly string[], aliases: Readonly<Record<string, string>> = {}) {
  const errorText = useReportsErrorText();
  const [error, setError] = useState<{ field: string | undefined; text: string } | null>(null);
  const set = useCallback((e: unknown) => {
    const invalid = e instanceof ApiError && e.status === 400 && e.field !== undefined;
    const field = invalid ? e.field : undefined;
    setError({ field: field === undefined ? undefined : aliases[field] ?? field, text: invalid ? e.message : errorText(e) });
  }, [errorText, aliases]);
  return useMemo(() => {
    const f = error?.field;
    const owner = f === undefined ? undefined : [...fields].sort((a, b) => b.length - a.length).find((n) => covers(n, f));
    return {
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
    ? cloneElement(children as ReactElement<Record<string, unknown>>, {
      'aria-invalid': error ? true : undefined,
      'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
    })
    : children;
  return (
    <label className={`reports-field${error ? ' reports-field-invalid' : ''}${className ? ` ${className}` : ''}`} data-field={name}>
      <span className="reports-field-label">{label}</span>
      {control}
      {hint && !error && <small id={`${id}-hint`} className="reports-hint">{hint}</small>}
      {error && <span id={`${id}-error`} className="reports-field-error" role="alert" data-testid={`field-error-${name}`}>{error}</span>}
    </label>
  );
}

/** A figure with its label, its raw value kept in data-value for whoever reads the page's numbers. */
export function Fact({ label, value, text, id }: { label: ReactNode; value: number | string | null; text: string; id: string }) {
  return (
    <div className="reports-fact" data-testid={`fact-${id}`} data-value={value === null ? 'null' : String(value)}>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </div>
  );
}
