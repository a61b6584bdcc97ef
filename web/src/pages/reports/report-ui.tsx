// Building blocks of the reports and staffing pages: a form's server error placed at the field it
// names (`details.field`, e.g. `to` or `serviceLevel.percent`), a labelled field showing it, and
// the error texts in the user's language (reports.errors.<code> first, then the shared texts);
// the forms' parts are `ui/forms.tsx`, with the reports pages' styles.
import type { ComponentProps, ReactNode } from 'react';
import { Field as FormField, useFieldError as useFormFieldError, useScopedErrorText } from '../../ui/forms.tsx';

export const useReportsErrorText = (): ((e: unknown) => string) => useScopedErrorText('reports');

/** A form's last server error (`ui/forms.tsx`); `aliases` maps a server field to the form field that sets it. */
export const useFieldError = (fields: readonly string[], aliases?: Readonly<Record<string, string>>) => useFormFieldError(fields, { scope: 'reports', aliases });

/** A labelled control with its hint and the server's message about it. */
export const Field = (props: Omit<ComponentProps<typeof FormField>, 'classPrefix'>) => <FormField {...props} classPrefix="reports" />;

/** A figure with its label, its raw value kept in data-value for whoever reads the page's numbers. */
export function Fact({ label, value, text, id }: { label: ReactNode; value: number | string | null; text: string; id: string }) {
  return (
    <div className="reports-fact" data-testid={`fact-${id}`} data-value={value === null ? 'null' : String(value)}>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </div>
  );
}
