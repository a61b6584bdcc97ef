// Building blocks of the admin pages: error texts (admin codes first, then the shared ones), a
// form's server error placed next to the field it names, and a labelled field that shows it
// (`ui/forms.tsx`, with the admin pages' styles).
import type { ComponentProps } from 'react';
import { NoticeLine } from '../../ui/common.tsx';
import { Field as FormField, useFieldError, useScopedErrorText } from '../../ui/forms.tsx';

/** The user's-language text of an error: `admin.errors.<code>` when there is one, else the shared texts. */
export const useAdminErrorText = (): ((e: unknown) => string) => useScopedErrorText('admin');

/** A form's last server error (`useFieldError`); `prefixes` are what the server puts before a field's own path. */
export const useFormError = (fields: readonly string[], prefixes?: readonly string[]) => useFieldError(fields, { scope: 'admin', prefixes });

/** A labelled control with its hint and the server's message about it. */
export const Field = (props: Omit<ComponentProps<typeof FormField>, 'classPrefix'>) => <FormField {...props} classPrefix="admin" />;

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
